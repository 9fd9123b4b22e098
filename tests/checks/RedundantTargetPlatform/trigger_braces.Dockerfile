FROM --platform=${TARGETPLATFORM} scratch
