package securitytest

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// Issue 14.4: no KMS call inside a write transaction. The whole site runs
// with an AWS KMS keeper pointed at slowKMS, a stand-in that speaks the two
// calls the keeper makes (Encrypt, Decrypt) and, once armed, holds every
// Encrypt until the test releases it — a KMS that takes its time.

// slowKMSKeyARN is the one key slowKMS has.
const slowKMSKeyARN = "arn:aws:kms:ca-central-1:111122223333:key/5a5a5a5a-0000-4000-8000-000000000014"

type slowKMS struct {
	*httptest.Server
	armed    atomic.Bool
	encrypts atomic.Int32
	entered  chan struct{}
	release  chan struct{}
	released atomic.Bool
}

func slowkeeperStartKMS(t *testing.T) *slowKMS {
	t.Helper()
	k := &slowKMS{entered: make(chan struct{}, 64), release: make(chan struct{})}
	k.Server = httptest.NewServer(http.HandlerFunc(k.serve))
	t.Cleanup(func() {
		k.releaseAll()
		k.Close()
	})
	return k
}

func (k *slowKMS) releaseAll() {
	if k.released.CompareAndSwap(false, true) {
		close(k.release)
	}
}

// slowkeeperMark makes the stand-in's "ciphertext" unmistakable and never
// the plaintext itself; real secrecy is not the point here.
var slowkeeperMark = []byte("slowkms:")

func (k *slowKMS) serve(w http.ResponseWriter, r *http.Request) {
	var in struct{ Plaintext, CiphertextBlob []byte } // base64 in the JSON protocol
	if err := json.NewDecoder(io.LimitReader(r.Body, 1<<20)).Decode(&in); err != nil {
		http.Error(w, `{"__type":"ValidationException"}`, http.StatusBadRequest)
		return
	}
	flip := func(b []byte) []byte {
		out := make([]byte, len(b))
		for i, c := range b {
			out[i] = c ^ 0x5a
		}
		return out
	}
	var out map[string]any
	switch r.Header.Get("X-Amz-Target") {
	case "TrentService.Encrypt":
		// Only data keys (32 bytes) are counted and held: the keeper's
		// probe of the current key encrypts a single byte.
		if len(in.Plaintext) == 32 {
			k.encrypts.Add(1)
		}
		if k.armed.Load() && len(in.Plaintext) == 32 {
			k.entered <- struct{}{}
			select {
			case <-k.release:
			case <-r.Context().Done():
				return
			}
		}
		out = map[string]any{"CiphertextBlob": append(bytes.Clone(slowkeeperMark), flip(in.Plaintext)...), "KeyId": slowKMSKeyARN, "EncryptionAlgorithm": "SYMMETRIC_DEFAULT"}
	case "TrentService.Decrypt":
		ct, ok := bytes.CutPrefix(in.CiphertextBlob, slowkeeperMark)
		if !ok {
			w.Header().Set("Content-Type", "application/x-amz-json-1.1")
			w.WriteHeader(http.StatusBadRequest)
			_, _ = w.Write([]byte(`{"__type":"InvalidCiphertextException","message":"not ours"}`))
			return
		}
		out = map[string]any{"Plaintext": flip(ct), "KeyId": slowKMSKeyARN, "EncryptionAlgorithm": "SYMMETRIC_DEFAULT"}
	default:
		w.Header().Set("Content-Type", "application/x-amz-json-1.1")
		w.WriteHeader(http.StatusBadRequest)
		_, _ = w.Write([]byte(`{"__type":"UnsupportedOperationException"}`))
		return
	}
	w.Header().Set("Content-Type", "application/x-amz-json-1.1")
	_ = json.NewEncoder(w).Encode(out)
}

// slowkeeperPost posts a form with a bound on the wait: a write stuck
// behind the tip's transaction fails here instead of hanging the suite.
// The tip itself gets the longer guard, so that on a regression the
// concurrent write times out first and says so.
func slowkeeperPost(t *testing.T, c *http.Client, target string, vals url.Values, wait time.Duration) (int, string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), wait)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, target, strings.NewReader(vals.Encode()))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := c.Do(req)
	if err != nil {
		return 0, err.Error()
	}
	return resp.StatusCode, body(t, resp)
}

// TestSlowKeeperDoesNotBlockWrites: while a tip's contact is being
// encrypted by a slow KMS, a contact-form message and a moderator's edit of
// the very case the tip is about both commit (SQLite: the one writer
// connection is free; MariaDB: the case row is not locked). The KMS call
// does not return until both have; had the tip's transaction been open
// around it, they would have waited for it and failed at their guard. The
// tip then costs exactly one KMS Encrypt for its three contact fields.
func TestSlowKeeperDoesNotBlockWrites(t *testing.T) {
	// The AWS SDK reads its credentials from the process environment.
	none := filepath.Join(t.TempDir(), "none")
	for k, v := range map[string]string{
		"AWS_ACCESS_KEY_ID": "AKIASLOWKEEPERTEST", "AWS_SECRET_ACCESS_KEY": "slow-keeper-test-secret",
		"AWS_CONFIG_FILE": none, "AWS_SHARED_CREDENTIALS_FILE": none, "AWS_EC2_METADATA_DISABLED": "true", "AWS_PROFILE": "",
	} {
		t.Setenv(k, v)
	}
	eachDialect(t, func(t *testing.T, env map[string]string) {
		kms := slowkeeperStartKMS(t)
		env["LOSTINNL_SECRETS_KEEPER"] = "awskms://alias/lostinnl?region=ca-central-1&endpoint=" + url.QueryEscape(kms.URL)
		const email, password = "slow@example.org", "correct horse battery staple 14"
		addStaff(t, env, email, "moderator", password)
		st := smallStore(t, env)
		caseID := smallPublishCase(t, st, "Slow Keeper Sculpin")
		s := startSite(t, env)
		mod := smallSignIn(t, s, email, password)

		kms.armed.Store(true)
		before := kms.encrypts.Load()
		tipDone := make(chan string, 1)
		go func() {
			code, b := slowkeeperPost(t, newClient(t), fmt.Sprintf("%s/cases/%d/tips", s.URL, caseID), url.Values{
				"message": {"Saw him at the ferry terminal."}, "name": {"Tess Tipster"}, "phone": {"709-555-0114"}, "email": {"tess@example.org"},
			}, guard)
			tipDone <- fmt.Sprintf("%d %.200s", code, b)
		}()
		select {
		case <-kms.entered:
		case r := <-tipDone:
			t.Fatalf("the tip finished without calling KMS: %s", r)
		case <-time.After(guard):
			t.Fatal("the tip never called KMS")
		}

		// KMS is "thinking". Other people's writes go on meanwhile.
		code, b := slowkeeperPost(t, newClient(t), s.URL+"/contact", url.Values{
			"name": {"Mary Message"}, "email": {"mary@example.org"}, "subject": {"A question"}, "message": {"Sent while the tip was encrypted."},
		}, 20*time.Second)
		if code != http.StatusSeeOther {
			t.Fatalf("a contact message while the tip waited on KMS: %d %.300s", code, b)
		}
		code, b = slowkeeperPost(t, mod, fmt.Sprintf("%s/admin/cases/%d", s.URL, caseID), url.Values{
			"full_name": {"Slow Keeper Sculpin"}, "age": {"40"}, "sex": {"male"}, "last_seen_date": {time.Now().AddDate(0, 0, -2).Format(time.DateOnly)},
			"last_seen_place": {"Water Street"}, "community": {"St. John's"}, "region": {"Avalon"},
			"circumstances": {"Fictional case for the security suite."}, "clothing": {"Edited while a tip was encrypted"},
			"police_agency": {"RNC"}, "police_file_number": {"SEC-Slow Keeper Sculpin"}, "police_phone": {"709-729-8000"}, "police_verified": {"yes"},
		}, 20*time.Second)
		if code != http.StatusSeeOther {
			t.Fatalf("a moderator's edit of the tip's case while the tip waited on KMS: %d %.300s", code, b)
		}
		c, err := st.GetCase(t.Context(), caseID)
		if err != nil || c.Clothing != "Edited while a tip was encrypted" {
			t.Fatalf("edit not committed: %v %q", err, c.Clothing)
		}

		kms.releaseAll()
		select {
		case r := <-tipDone:
			if !strings.HasPrefix(r, "303 ") {
				t.Fatalf("tip: %s", r)
			}
		case <-time.After(guard):
			t.Fatal("the tip did not finish after KMS answered")
		}
		if n := kms.encrypts.Load() - before; n != 1 {
			t.Fatalf("one tip with three contact fields made %d KMS Encrypt calls, want 1", n)
		}
		if n := smallTipCount(t, st, caseID); n != 1 {
			t.Fatalf("%d tips stored", n)
		}
	})
}
