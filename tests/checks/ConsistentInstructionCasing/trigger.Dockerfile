FROM scratch
copy Dockerfile /foo
COPY Dockerfile /bar
