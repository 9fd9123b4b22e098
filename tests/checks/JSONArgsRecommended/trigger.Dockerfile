FROM scratch
CMD mycommand
