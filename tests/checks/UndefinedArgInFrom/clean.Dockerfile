ARG base=scratch
ARG DEBUG
ARG EMPTY=""
FROM $base AS one
FROM --platform=$BUILDPLATFORM scratch AS two
FROM scratch${DEBUG} AS three
FROM scra${DEBUG:-tch} AS four
FROM scratch${EMPTY-@bogus} AS five
