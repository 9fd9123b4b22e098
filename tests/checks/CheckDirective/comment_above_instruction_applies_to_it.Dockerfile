FROM alpine:3.20
RUN echo hi
# the shell form is wanted here: the command needs variable expansion
# check=skip=JSONArgsRecommended
CMD echo hi $HOME
ENTRYPOINT echo hi
