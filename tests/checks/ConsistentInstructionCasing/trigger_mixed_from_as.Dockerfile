From scratch as base
FROM scratch AS base2
