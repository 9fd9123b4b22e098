FROM scratch
copy Dockerfile /foo
copy Dockerfile /bar
copy Dockerfile /baz
