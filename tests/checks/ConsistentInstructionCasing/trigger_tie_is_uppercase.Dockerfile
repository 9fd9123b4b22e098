from scratch
COPY a /a
