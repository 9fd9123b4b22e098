package handler

import "testing"

func TestHealth(t *testing.T) {}
