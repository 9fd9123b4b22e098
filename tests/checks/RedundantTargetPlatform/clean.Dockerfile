FROM --platform=$BUILDPLATFORM scratch AS build
FROM --platform=linux/${TARGETARCH} scratch AS run
