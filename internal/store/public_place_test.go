package store

import "testing"

// TestPublicCasesRoundPlace: the public snapshot (input of the read model,
// the feeds and the map) holds the ~1 km public point of a last-seen
// place, never the one staff typed; a case without one has none.
func TestPublicCasesRoundPlace(t *testing.T) {
	eachDialect(t, func(t *testing.T, s *Store) {
		ctx := ctxT(t)
		lat, lng := 48.953117, -54.608421
		placed := newCase("Placed Person")
		placed.Latitude, placed.Longitude = &lat, &lng
		pid := mustCreate(t, s, placed, StatusMissing)
		nid := mustCreate(t, s, newCase("Unplaced Person"), StatusMissing)

		snap, err := s.PublicCases(ctx)
		if err != nil {
			t.Fatal(err)
		}
		seen := 0
		for _, c := range snap.Cases {
			switch c.ID {
			case pid:
				seen++
				if c.Latitude == nil || c.Longitude == nil || *c.Latitude != 48.95 || *c.Longitude != -54.615 {
					t.Errorf("public point %v, %v; want 48.95, -54.615", c.Latitude, c.Longitude)
				}
			case nid:
				seen++
				if c.Latitude != nil || c.Longitude != nil {
					t.Errorf("a case without a place got %v, %v", c.Latitude, c.Longitude)
				}
			}
		}
		if seen != 2 {
			t.Fatalf("found %d of the 2 cases", seen)
		}
		// Staff still read the exact place.
		c, err := s.GetCase(ctx, pid)
		if err != nil {
			t.Fatal(err)
		}
		if *c.Latitude != lat || *c.Longitude != lng {
			t.Errorf("GetCase: %v, %v", *c.Latitude, *c.Longitude)
		}
	})
}
