package store

import "time"

// QueryObserver receives the duration of a store operation, named by a
// short fixed string ("search_cases", "get_public_case", …), for the query
// latency metric. It must be cheap and safe for concurrent use.
type QueryObserver func(op string, d time.Duration)

// SetObserver installs o; call once at wiring time, before serving.
func (s *Store) SetObserver(o QueryObserver) {
	s.mu.Lock()
	s.observer = o
	s.mu.Unlock()
}

// observe is deferred at the top of the operations worth timing (the ones
// on public pages and sign-in): defer s.observe("op", time.Now()).
func (s *Store) observe(op string, start time.Time) {
	s.mu.RLock()
	o := s.observer
	s.mu.RUnlock()
	if o != nil {
		o(op, time.Since(start))
	}
}
