ARG tag=latest
FROM busybox:${tag}${version} AS b
COPY Dockerfile .
