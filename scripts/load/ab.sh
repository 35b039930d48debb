#!/usr/bin/env bash
# Interleaved comparison of lostinnl binaries on one kept SQLite data set,
# page cache off: each binary in turn serves the same data while wrk
# measures a random case page, /, listing pages and rotating searches
# (the cold passes of run.sh), ROUNDS times. On a machine whose CPU is
# shared (steal time), figures taken minutes apart are not comparable;
# interleaved runs of the old and the new binary are (docs/performance.md).
#
# Usage:
#
#   scripts/load/ab.sh DATA_DIR ROUNDS BINARY...
#
# DATA_DIR is a SQLite data set kept by `scripts/load/run.sh -s sqlite -k`
# (${TMPDIR:-/tmp}/lostinnl_load_sqlite_CASES: load.db, ids.txt,
# queries.txt). Build each binary with `go build -o FILE ./cmd/lostinnl` at
# the commit to compare. Prints one Markdown row per binary and page:
# requests/s, p99 and the server's CPU µs per request; and each start's
# read model rebuild. Everything stays on loopback (127.0.0.1:18090).
set -euo pipefail
[ $# -ge 3 ] || { sed -n '2,/^set -e/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 2; }
D=$1 R=$2
shift 2
HERE=$(cd "$(dirname "$0")" && pwd)
ADDR=127.0.0.1:18090
for f in load.db ids.txt queries.txt; do
	[ -s "$D/$f" ] || { echo "$0: $D/$f missing: keep a data set with run.sh -s sqlite -k" >&2; exit 1; }
done
LOG=$(mktemp -d)
trap 'rm -rf "$LOG"; [ -n "${SPID:-}" ] && kill "$SPID" 2>/dev/null || true' EXIT

measure() { # NAME wrk-args...
	local name=$1 t0 t1 reqs
	shift
	t0=$(awk '{print $14+$15}' "/proc/$SPID/stat")
	wrk -t2 -c64 -d8s --latency "$@" >"$LOG/wrk.txt"
	t1=$(awk '{print $14+$15}' "/proc/$SPID/stat")
	reqs=$(awk '/requests in/ {print $1}' "$LOG/wrk.txt")
	printf '| %s | %s | %s | %s | %s |\n' "$BIN_NAME" "$name" "$(awk '/Requests\/sec/ {print $2}' "$LOG/wrk.txt")" \
		"$(awk '$1 == "99%" {print $2}' "$LOG/wrk.txt")" "$(((t1 - t0) * 10000000 / reqs / 1000))"
}

echo "| binary | page | requests/s | p99 | server CPU µs/req |"
echo "|---|---|---:|---:|---:|"
for _ in $(seq 1 "$R"); do
	for bin in "$@"; do
		BIN_NAME=$(basename "$bin")
		LOSTINNL_DATABASE_URL="sqlite:$D/load.db" LOSTINNL_DATA_DIR=$D LOSTINNL_ADDR=$ADDR \
			LOSTINNL_OPS_ADDR=127.0.0.1:18091 LOSTINNL_BASE_URL=http://$ADDR LOSTINNL_MEDIA_URL="file://$D/media" \
			LOSTINNL_PAGE_CACHE_MB=0 "$bin" serve >"$LOG/server.log" 2>&1 &
		SPID=$!
		for _ in $(seq 1 150); do
			curl -s -o /dev/null --max-time 1 "http://$ADDR/healthz" && break
			sleep 0.2
		done
		sleep 2
		printf '| %s | rebuild | %s | | |\n' "$BIN_NAME" "$(grep -o 'load=[0-9.]*[a-zµ]*s total=[0-9.]*[a-zµ]*s' "$LOG/server.log" | head -1)"
		wrk -t2 -c64 -d2s -s "$HERE/random_case.lua" "http://$ADDR" -- "$D/ids.txt" >/dev/null
		measure case -s "$HERE/random_case.lua" "http://$ADDR" -- "$D/ids.txt"
		measure home "http://$ADDR/"
		measure listing -s "$HERE/uncached.lua" "http://$ADDR" -- listing 50
		measure search -s "$HERE/uncached.lua" "http://$ADDR" -- search "$D/queries.txt"
		kill "$SPID"
		wait "$SPID" 2>/dev/null || true
		SPID=
	done
done
