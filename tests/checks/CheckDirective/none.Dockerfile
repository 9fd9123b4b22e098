# no check directive
FROM scratch as base
copy Dockerfile .
