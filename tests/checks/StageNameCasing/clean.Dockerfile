FROM scratch AS builder
FROM scratch AS build-stage_2.x
