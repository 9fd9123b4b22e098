FROM scratch AS build
FROM scratch AS Build
FROM scratch AS build
