FROM scratch
WORKDIR /app
WORKDIR sub
