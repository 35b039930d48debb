// Command lostinnl is the LostInNL web platform. Everything happens in
// internal/cli; main only hands it the process's arguments, streams and
// environment, and exits with the status it returns.
package main

import (
	"context"
	"os"

	"lostinnl/internal/cli"
)

func main() {
	os.Exit(cli.Run(context.Background(), os.Args[1:], os.Stdin, os.Stdout, os.Stderr, os.LookupEnv))
}
