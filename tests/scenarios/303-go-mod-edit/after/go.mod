module example.com/server

go 1.22

toolchain go1.22.3

require github.com/go-chi/chi/v5 v5.0.12
