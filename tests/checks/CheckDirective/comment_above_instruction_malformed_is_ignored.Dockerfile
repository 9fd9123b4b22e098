FROM alpine:3.20
# check=skip=JSONArgsRecommended;bogus=1
CMD echo hi
