FROM scratch
EXPOSE 80/tcp 443/udp 8080 53/sctp
