package inventory

import "testing"

func TestAddGet(t *testing.T) {
	s := NewStore()
	it := s.Add("bolt", 40)
	got, err := s.Get(it.ID)
	if err != nil || got.Quantity != 40 {
		t.Fatalf("Get(%q) = %+v, %v", it.ID, got, err)
	}
	if _, err := s.Get("missing"); err != ErrNotFound {
		t.Fatalf("want ErrNotFound, got %v", err)
	}
}
