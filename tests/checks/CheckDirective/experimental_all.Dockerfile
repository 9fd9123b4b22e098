# check=experimental=all
# not a description
ARG VERSION=1
FROM scratch
