FROM scratch
ENV a=1 b=$a
