ARG IMG=busybox
FROM ${IMG}
