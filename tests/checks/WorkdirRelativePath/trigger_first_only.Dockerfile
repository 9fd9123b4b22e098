FROM scratch
WORKDIR app
WORKDIR sub
WORKDIR /abs
