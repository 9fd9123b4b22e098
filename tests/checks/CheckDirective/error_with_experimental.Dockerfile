# check=experimental=InvalidDefinitionDescription;error=true
# not a description
ARG X=1
FROM scratch
