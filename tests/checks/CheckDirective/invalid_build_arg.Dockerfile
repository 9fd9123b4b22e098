FROM scratch as base
copy Dockerfile .
