FROM --platform=linux/amd64 scratch AS my_amd64_stage
FROM --platform=linux/amd64 scratch AS linux
FROM --platform=$BUILDPLATFORM scratch AS build
