arg VERSION=1
FROM scratch
COPY a /a
