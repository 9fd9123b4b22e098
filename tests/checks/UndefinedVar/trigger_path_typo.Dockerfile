FROM scratch
ENV PATH=$PAHT:/tmp/bin
