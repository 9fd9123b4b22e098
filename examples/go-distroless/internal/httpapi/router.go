// Package httpapi exposes the inventory over HTTP.
package httpapi

import (
	"encoding/json"
	"errors"
	"net/http"

	"github.com/go-chi/chi/v5"
	"github.com/go-chi/chi/v5/middleware"
	"github.com/rs/zerolog"

	"github.com/example/inventory/internal/inventory"
)

// NewRouter wires the routes.
func NewRouter(store *inventory.Store, log zerolog.Logger) http.Handler {
	r := chi.NewRouter()
	r.Use(middleware.RequestID, middleware.Recoverer)

	r.Get("/healthz", func(w http.ResponseWriter, _ *http.Request) {
		writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
	})
	r.Get("/items", func(w http.ResponseWriter, _ *http.Request) {
		writeJSON(w, http.StatusOK, store.List())
	})
	r.Get("/items/{id}", func(w http.ResponseWriter, req *http.Request) {
		it, err := store.Get(chi.URLParam(req, "id"))
		if errors.Is(err, inventory.ErrNotFound) {
			writeJSON(w, http.StatusNotFound, map[string]string{"error": err.Error()})
			return
		}
		writeJSON(w, http.StatusOK, it)
	})
	r.Post("/items", func(w http.ResponseWriter, req *http.Request) {
		var body struct {
			Name     string `json:"name"`
			Quantity int    `json:"quantity"`
		}
		if err := json.NewDecoder(req.Body).Decode(&body); err != nil || body.Name == "" {
			writeJSON(w, http.StatusBadRequest, map[string]string{"error": "name and quantity are required"})
			return
		}
		it := store.Add(body.Name, body.Quantity)
		log.Info().Str("id", it.ID).Msg("item added")
		writeJSON(w, http.StatusCreated, it)
	})
	return r
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}
