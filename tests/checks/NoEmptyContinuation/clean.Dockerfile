FROM scratch
RUN echo a \
    # a comment line inside a continuation is not an empty line
    && echo b
