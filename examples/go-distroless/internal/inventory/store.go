// Package inventory keeps items and their stock levels.
package inventory

import (
	"errors"
	"sort"
	"sync"

	"github.com/google/uuid"
)

// ErrNotFound is returned for an unknown item id.
var ErrNotFound = errors.New("item not found")

// Item is one stock-keeping unit.
type Item struct {
	ID       string `json:"id"`
	Name     string `json:"name"`
	Quantity int    `json:"quantity"`
}

// Store is an in-memory, concurrency-safe item store.
type Store struct {
	mu    sync.RWMutex
	items map[string]Item
}

// NewStore returns an empty store.
func NewStore() *Store {
	return &Store{items: make(map[string]Item)}
}

// Add stores a new item and returns it with its id.
func (s *Store) Add(name string, quantity int) Item {
	s.mu.Lock()
	defer s.mu.Unlock()
	it := Item{ID: uuid.NewString(), Name: name, Quantity: quantity}
	s.items[it.ID] = it
	return it
}

// Get returns one item.
func (s *Store) Get(id string) (Item, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	it, ok := s.items[id]
	if !ok {
		return Item{}, ErrNotFound
	}
	return it, nil
}

// List returns all items sorted by name.
func (s *Store) List() []Item {
	s.mu.RLock()
	defer s.mu.RUnlock()
	out := make([]Item, 0, len(s.items))
	for _, it := range s.items {
		out = append(out, it)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}
