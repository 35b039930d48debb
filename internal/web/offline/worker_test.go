package offline

import "testing"

func TestWorkerCSP(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{
			"default-src 'self'; img-src 'self'; connect-src 'self'; object-src 'none'",
			"default-src 'self'; img-src 'self'; connect-src 'self'; object-src 'none'",
		},
		{
			"default-src 'self'; img-src 'self' https://b.s3.example.com; connect-src 'self'; frame-ancestors 'none'",
			"default-src 'self'; img-src 'self' https://b.s3.example.com; connect-src 'self' https://b.s3.example.com; frame-ancestors 'none'",
		},
		{"default-src 'self'", "default-src 'self'"},
	} {
		if got := workerCSP(tc.in); got != tc.want {
			t.Errorf("workerCSP(%q)\n got %q\nwant %q", tc.in, got, tc.want)
		}
	}
}
