FROM scratch
ENV DEPS \
    curl \
    git
