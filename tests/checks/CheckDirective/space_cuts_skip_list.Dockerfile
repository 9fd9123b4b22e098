# check=skip=FromAsCasing, ConsistentInstructionCasing
FROM scratch as base
copy Dockerfile .
