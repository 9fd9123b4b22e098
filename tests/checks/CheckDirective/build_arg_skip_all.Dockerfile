#check=error=true
FROM scratch as base
copy Dockerfile .
