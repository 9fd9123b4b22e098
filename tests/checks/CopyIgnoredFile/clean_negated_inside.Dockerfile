# check=experimental=CopyIgnoredFile
FROM scratch
COPY sub /sub
