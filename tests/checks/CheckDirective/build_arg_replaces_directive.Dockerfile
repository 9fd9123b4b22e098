#check=skip=all
FROM scratch as base
copy Dockerfile .
