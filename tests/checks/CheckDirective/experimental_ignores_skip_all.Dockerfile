# check=skip=all;experimental=InvalidDefinitionDescription
# not a description
FROM scratch as base
