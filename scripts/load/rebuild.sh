#!/usr/bin/env bash
# The read model's rebuild after a content change, under load (issue 15:
# under 2 s at 100,000 cases, without blocking requests). On a kept data
# set, the server serves wrk's random case pages (or rotating searches,
# -p search) for DURATION twice: once undisturbed, then while
# scripts/load/touch adds a public update to a random case every 4 s, as a
# moderator would. Each change makes the server rebuild its read model (and,
# with -C, empty its page cache). Prints each rebuild's time from the
# server's log, and both passes' requests/s, p50, p99 and maximum latency:
# requests that waited for a rebuild would show as a p99 or maximum near
# the rebuild's time. With -c rename each change gives a case a new surname
# instead (new words for the search index). On a site too large to hold
# its case pages in the model, a rebuild patches the previous snapshot
# (patched=N in its line: the changed cases); otherwise it reads every case.
#
# Usage:
#
#   scripts/load/rebuild.sh [-m DB] [-C] [-p case|search] [-c update|rename] [-d DURATION] DATA_DIR
#
# DATA_DIR is a data set kept by `scripts/load/run.sh -k`: with SQLite
# (the default) ${TMPDIR:-/tmp}/lostinnl_load_sqlite_CASES (load.db,
# ids.txt, queries.txt); with -m DB, the MariaDB database DB at
# 127.0.0.1:3306 kept by `run.sh -s mysql -k` and its data directory
# ${TMPDIR:-/tmp}/DB_data, the lists then read from ${TMPDIR:-/tmp}/DB_lists.
# -C keeps the page cache on (production's default); without it every
# request builds its page. DURATION defaults to 24s (five changes).
# Everything stays on loopback (127.0.0.1:18095, ops 18096).
set -euo pipefail
DB="" CACHE=0 PAGE=case DURATION=24s CHANGE=update
while getopts "m:Cp:c:d:h" opt; do
	case "$opt" in
	m) DB=$OPTARG ;;
	C) CACHE=1 ;;
	p) PAGE=$OPTARG ;;
	c) CHANGE=$OPTARG ;;
	d) DURATION=$OPTARG ;;
	*) sed -n '2,/^set -e/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 2 ;;
	esac
done
shift $((OPTIND - 1))
[ $# -eq 1 ] || { sed -n '2,/^set -e/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 2; }
case "$PAGE" in case | search) ;; *) echo "$0: -p takes case or search" >&2; exit 2 ;; esac
case "$CHANGE" in update | rename) ;; *) echo "$0: -c takes update or rename" >&2; exit 2 ;; esac
case "$DB" in *[!A-Za-z0-9_]*) echo "$0: -m takes a database name (letters, digits, _)" >&2; exit 2 ;; esac
D=$1
LISTS=$D
DSN="sqlite:$D/load.db"
if [ -n "$DB" ]; then
	LISTS=${TMPDIR:-/tmp}/${DB}_lists
	DSN="mysql://root@tcp(127.0.0.1:3306)/$DB"
else
	[ -s "$D/load.db" ] || { echo "$0: $D/load.db missing: keep a data set with run.sh -s sqlite -k" >&2; exit 1; }
fi
for f in ids.txt queries.txt; do
	[ -s "$LISTS/$f" ] || { echo "$0: $LISTS/$f missing: keep a data set with run.sh -k" >&2; exit 1; }
done
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
HERE="$ROOT/scripts/load"
ADDR=127.0.0.1:18095
TMP=$(mktemp -d)
SPID=""
trap 'rm -rf "$TMP"; [ -n "$SPID" ] && kill "$SPID" 2>/dev/null || true' EXIT
(cd "$ROOT" && go build -o "$TMP/lostinnl" ./cmd/lostinnl && go build -o "$TMP/touch" ./scripts/load/touch)

export LOSTINNL_DATABASE_URL=$DSN LOSTINNL_DATA_DIR=$D LOSTINNL_ADDR=$ADDR LOSTINNL_OPS_ADDR=127.0.0.1:18096 \
	LOSTINNL_BASE_URL=http://$ADDR LOSTINNL_MEDIA_URL="file://$D/media"
unset LOSTINNL_SECRETS_KEEPER
[ "$CACHE" = 1 ] || export LOSTINNL_PAGE_CACHE_MB=0
"$TMP/lostinnl" serve >"$TMP/server.log" 2>&1 &
SPID=$!
for _ in $(seq 1 300); do
	curl -s -o /dev/null --max-time 1 "http://$ADDR/healthz" && break
	kill -0 "$SPID" 2>/dev/null || { tail -n 20 "$TMP/server.log" >&2; exit 1; }
	sleep 0.2
done
sleep 3
echo "start-up: $(grep -o 'cases=[0-9]* load=[^ ]* total=[^ ]*' "$TMP/server.log" | head -1)"
WRK=(-s "$HERE/random_case.lua" "http://$ADDR" -- "$LISTS/ids.txt")
[ "$PAGE" = search ] && WRK=(-s "$HERE/uncached.lua" "http://$ADDR" -- search "$LISTS/queries.txt")
wrk -t2 -c64 -d3s "${WRK[@]}" >/dev/null

pass() { # NAME
	awk -v name="$1" '
		/Requests\/sec/ {rps = $2}
		$1 == "Latency" && $2 != "Distribution" {max = $4}
		$1 == "50%" {p50 = $2}
		$1 == "99%" {p99 = $2}
		END {printf "| %s | %s | %s | %s | %s |\n", name, rps, p50, p99, max}' "$TMP/wrk.txt"
}
echo "| pass ($PAGE pages, page cache $([ "$CACHE" = 1 ] && echo on || echo off)) | requests/s | p50 | p99 | max |"
echo "|---|---:|---:|---:|---:|"
wrk -t2 -c64 -d"$DURATION" --latency "${WRK[@]}" >"$TMP/wrk.txt"
pass "undisturbed"
before=$(grep -c 'read model rebuilt' "$TMP/server.log")
"$TMP/touch" -ids "$LISTS/ids.txt" -n 5 -every 4s -change "$CHANGE" >"$TMP/touch.txt" &
TPID=$!
wrk -t2 -c64 -d"$DURATION" --latency "${WRK[@]}" >"$TMP/wrk.txt"
wait "$TPID"
pass "a change ($CHANGE) every 4 s"
sleep 3 # the last rebuild
echo
echo "rebuilds after each change (load = reading the database, total = load + building):"
grep 'read model rebuilt' "$TMP/server.log" | tail -n +"$((before + 1))" | grep -o 'cases=[0-9]* load=[^ ]* total=[^ ]*\( patched=[0-9]*\)\{0,1\}'
