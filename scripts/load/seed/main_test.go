package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestWriteQueries(t *testing.T) {
	path := filepath.Join(t.TempDir(), "queries.txt")
	n, err := writeQueries(path, 3000, 2100)
	if err != nil || n != 2100 {
		t.Fatalf("wrote %d, %v", n, err)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(string(data), "\n"), "\n")
	if len(lines) != 2100 {
		t.Fatalf("%d lines", len(lines))
	}
	seen := map[string]bool{}
	for _, l := range lines {
		if l == "" || seen[strings.ToLower(l)] {
			t.Fatalf("empty or repeated query %q", l)
		}
		seen[strings.ToLower(l)] = true
	}
	// The same arguments write the same file: load runs are comparable.
	again := filepath.Join(t.TempDir(), "again.txt")
	if _, err := writeQueries(again, 3000, 2100); err != nil {
		t.Fatal(err)
	}
	if data2, _ := os.ReadFile(again); string(data2) != string(data) {
		t.Error("second run wrote other queries")
	}
}

func TestWriteQueriesErrors(t *testing.T) {
	if _, err := writeQueries(filepath.Join(t.TempDir(), "no", "such", "dir.txt"), 100, 10); err == nil ||
		!strings.Contains(err.Error(), "queries file") {
		t.Errorf("missing directory: %v", err)
	}
	if _, err := writeQueries(filepath.Join(t.TempDir(), "q.txt"), 0, 10); err == nil || !strings.Contains(err.Error(), "-n") {
		t.Errorf("no cases: %v", err)
	}
}
