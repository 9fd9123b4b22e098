# check=Skip=all
FROM scratch as base
copy Dockerfile .
