package cli

import (
	"context"
	"fmt"
	"runtime"
	"runtime/debug"
)

// Set at link time by release builds:
//
//	go build -ldflags "-X lostinnl/internal/cli.version=1.2.3 -X lostinnl/internal/cli.commit=abc1234" ./cmd/lostinnl
//
// These are build metadata fixed when the binary is made, not configuration.
var (
	version = "dev"
	commit  = "dev"
)

// BuildInfo returns the version and commit the binary was built from, and
// the Go version. Without -ldflags it falls back to what the Go toolchain
// recorded: the module version under `go install module@version`, and the
// VCS revision when built from a checkout with VCS stamping on.
func BuildInfo() (ver, rev, goVersion string) {
	ver, rev = version, commit
	if bi, ok := debug.ReadBuildInfo(); ok {
		if ver == "dev" && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
			ver = bi.Main.Version
		}
		if rev == "dev" {
			var modified bool
			for _, s := range bi.Settings {
				switch s.Key {
				case "vcs.revision":
					rev = s.Value
					if len(rev) > 12 {
						rev = rev[:12]
					}
				case "vcs.modified":
					modified = s.Value == "true"
				}
			}
			if modified && rev != "dev" {
				rev += "-dirty"
			}
		}
	}
	return ver, rev, runtime.Version()
}

func runVersion(_ context.Context, e *env, args []string) error {
	if err := e.parseFlags(e.flagSet("version"), args); err != nil {
		return err
	}
	ver, rev, gov := BuildInfo()
	_, err := fmt.Fprintf(e.stdout, "lostinnl %s (commit %s, %s %s/%s)\n", ver, rev, gov, runtime.GOOS, runtime.GOARCH)
	return err
}
