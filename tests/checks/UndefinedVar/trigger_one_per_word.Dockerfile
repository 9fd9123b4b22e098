FROM scratch
COPY $foo $foo/
