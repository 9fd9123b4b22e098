package handler

import (
	"fmt"
	"net/http"

	"github.com/go-chi/chi/v5"
)

func Health(w http.ResponseWriter, _ *http.Request) {
	w.WriteHeader(http.StatusOK)
}

func Hello(w http.ResponseWriter, r *http.Request) {
	fmt.Fprintf(w, "hello, %s\n", chi.URLParam(r, "name"))
}
