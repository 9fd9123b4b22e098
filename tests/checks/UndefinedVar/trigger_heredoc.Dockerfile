FROM scratch
COPY <<EOF /etc/environment
export LANG=$LC_ALL
export LC_CTYPE=$LC_ALL
EOF
