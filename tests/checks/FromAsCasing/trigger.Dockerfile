FROM scratch AS base
FROM scratch as base2
