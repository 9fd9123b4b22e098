FROM scratch AS base
FROM scratch AS base2
