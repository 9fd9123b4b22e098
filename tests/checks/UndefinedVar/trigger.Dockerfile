FROM scratch
COPY $foo .
ARG foo=bar
RUN echo $foo
