# bar this is the bar
ARG foo=bar
FROM scratch
