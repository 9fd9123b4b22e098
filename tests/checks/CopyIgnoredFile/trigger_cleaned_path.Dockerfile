# check=experimental=CopyIgnoredFile
FROM scratch
COPY ./sub/a.txt /a.txt
