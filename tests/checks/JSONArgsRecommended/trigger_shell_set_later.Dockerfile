FROM scratch
CMD mycommand
SHELL ["/bin/bash", "-c"]
