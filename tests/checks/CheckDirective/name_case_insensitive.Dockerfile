# CHECK=skip=all
FROM scratch as base
copy Dockerfile .
