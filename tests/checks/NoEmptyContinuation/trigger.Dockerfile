FROM scratch
# warning: empty continuation line
COPY Dockerfile \

.
COPY Dockerfile \
.
