FROM scratch
COPY bin/$TARGETARCH/app /app
