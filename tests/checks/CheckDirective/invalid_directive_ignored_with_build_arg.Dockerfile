# check=bogus
FROM scratch as base
copy Dockerfile .
