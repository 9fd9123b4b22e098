FROM alpine:3.20
RUN echo hi
# check=skip=JSONArgsRecommended
CMD echo hi
