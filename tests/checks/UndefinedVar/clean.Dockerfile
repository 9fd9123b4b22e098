FROM scratch
ARG foo
COPY Dockerfile${foo} .
