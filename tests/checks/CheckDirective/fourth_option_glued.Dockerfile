# check=skip=FromAsCasing;error=false;experimental=all;skip=ConsistentInstructionCasing
FROM scratch as base
copy Dockerfile .
