# check=skip=FromAsCasing ;error=true
FROM scratch as base
copy Dockerfile .
