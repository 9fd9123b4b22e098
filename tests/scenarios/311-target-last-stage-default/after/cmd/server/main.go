package main

import (
	"log"
	"net/http"

	"example.com/server/internal/handler"
	"github.com/go-chi/chi/v5"
)

func main() {
	r := chi.NewRouter()
	r.Get("/healthz", handler.Health)
	r.Get("/hello/{name}", handler.Hello)
	log.Println("server listening on :8080")
	log.Fatal(http.ListenAndServe(":8080", r))
}
