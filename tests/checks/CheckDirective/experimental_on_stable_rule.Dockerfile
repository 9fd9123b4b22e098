# check=experimental=FromAsCasing
FROM scratch as base
