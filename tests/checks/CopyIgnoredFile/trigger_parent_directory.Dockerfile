# check=experimental=CopyIgnoredFile
FROM scratch
COPY secrets/db.pass /run/db.pass
