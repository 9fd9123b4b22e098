FROM scratch
CMD ["a"]
cmd ["b"]
