FROM scratch
ENTRYPOINT mycommand
