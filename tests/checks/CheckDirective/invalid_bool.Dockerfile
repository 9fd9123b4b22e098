# check=error=yes
FROM scratch as base
copy Dockerfile .
