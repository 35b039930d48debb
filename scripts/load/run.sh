#!/usr/bin/env bash
# Load test of the public site: the real `lostinnl` binary on MariaDB (or
# SQLite, -s sqlite) with 10,000 fictional demo-style cases, measured with
# wrk on loopback (issues 4 and 15, Performance). Figures and their comparison: docs/performance.md.
#
# Measured, each for DURATION with wrk --latency: /, /cases, /cases?q=TERM;
# /cases/{id} with random ids (random_case.lua) twice: a first pass, and
# again with every page in the server's page cache; then, with the page
# cache off (LOSTINNL_PAGE_CACHE_MB=0), random case pages, /, listing pages
# (random pages 1..PAGES) and searches (uncached.lua). The uncached search pass rotates through the
# 2,500 distinct queries the seeder writes (demo.Queries over the generated
# cases: full names, surnames, typos, nicknames, Mc/Mac and accent
# variants, prefixes, communities as people spell them, regions, hair and
# clothing words, and made-up names that match nothing), so it measures
# searches that were not just answered, over thousands of different names;
# then the same searches over one connection (wrk -t1 -c1), one at a time.
# For each: requests/s, p50, p99, the server's RSS, and CPU per request of
# the server and of the local MariaDB.
#
# Usage (from anywhere in the repository):
#
#   scripts/load/run.sh [-s mysql|sqlite] [-d DURATION] [-n CASES] [-t THREADS]
#                       [-c CONNECTIONS] [-q SEARCH_TERM] [-l PAGES] [-p PORT]
#                       [-u] [-r] [-k] [-z] [-o RESULTS_FILE]
#
#   -s  the database: mysql (default; MariaDB at 127.0.0.1:3306) or sqlite
#       (a file in ${TMPDIR:-/tmp}/lostinnl_load_sqlite_CASES, with its own data
#       directory; no MariaDB needed)
#   -d  wrk duration per URL (default 15s)
#   -n  generated cases to seed (default 10000; the ~40 showcase demo cases
#       come on top)
#   -t  wrk threads (default 2)       -c  wrk connections (default 64)
#   -q  search term for the fixed /cases?q= URL (default Walsh, one of the
#       most common surnames of the generated cases)
#   -l  listing pages the uncached listing pass picks from (default 50)
#   -u  uncached passes only (page cache off): for large data sets, where
#       the cached passes say nothing new
#   -r  with data kept by an earlier run with -k (same -s and -n): skip
#       seeding and reuse its lists of ids and queries
#   -p  port of the server on 127.0.0.1 (default 18080; the ops listener
#       takes PORT+10)
#   -k  keep the database lostinnl_load afterwards (re-runs then skip most
#       of the seeding, which is idempotent). Each run has a fresh temporary
#       key, so reporter contacts sealed by an earlier run stay unreadable:
#       keep such a database for load tests only. With -s sqlite: keep the
#       SQLite data directory (database file and key) for the next run.
#   -z  send "Accept-Encoding: gzip, deflate, br" as browsers do (answers come
#       gzipped; without -z every answer goes out uncompressed)
#   -o  also write the results table (Markdown) to this file
#
# LOSTINNL_LOAD_DB names the MariaDB database (default lostinnl_load), so
# data sets of several sizes can be kept side by side with -k.
#
# Needs: go, wrk (apt-get install wrk), curl; for mysql the mysql/mariadb
# client and MariaDB or MySQL at 127.0.0.1:3306 reachable as root without a
# password. The read model's rebuild time (logged at start-up) is reported.
#
# Everything stays on loopback: the server listens on 127.0.0.1:PORT (ops
# listener 127.0.0.1:PORT+10) with a temporary data directory. The script
# creates the database lostinnl_load if it does not exist and drops it at the
# end only if it created it (and -k was not given); it stops only the server
# it started.
set -euo pipefail

DURATION=15s
CASES=10000
THREADS=2
CONNS=64
QUERY=Walsh
KEEP_DB=0
OUT=""
PORT=18080
DBKIND=mysql
PAGES=50
UNCACHED_ONLY=0
REUSE=0
GZIP=()
while getopts "s:d:n:t:c:q:l:p:urkzo:h" opt; do
	case "$opt" in
	s) DBKIND=$OPTARG ;;
	l) PAGES=$OPTARG ;;
	u) UNCACHED_ONLY=1 ;;
	r) REUSE=1 ;;
	d) DURATION=$OPTARG ;;
	n) CASES=$OPTARG ;;
	t) THREADS=$OPTARG ;;
	c) CONNS=$OPTARG ;;
	q) QUERY=$OPTARG ;;
	p) PORT=$OPTARG ;;
	k) KEEP_DB=1 ;;
	z) GZIP=(-H "Accept-Encoding: gzip, deflate, br") ;;
	o) OUT=$OPTARG ;;
	h) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
	*) echo "usage: $0 [-s mysql|sqlite] [-d DURATION] [-n CASES] [-t THREADS] [-c CONNECTIONS] [-q TERM] [-l PAGES] [-p PORT] [-u] [-r] [-k] [-z] [-o FILE]" >&2; exit 2 ;;
	esac
done
shift $((OPTIND - 1))
if [ $# -gt 0 ]; then
	echo "$0: unexpected argument: $1" >&2
	exit 2
fi
case "$CASES" in '' | *[!0-9]*) echo "$0: -n needs a number" >&2; exit 2 ;; esac
case "$PORT" in '' | *[!0-9]*) echo "$0: -p needs a port number" >&2; exit 2 ;; esac
case "$PAGES" in '' | 0 | *[!0-9]*) echo "$0: -l needs a number of pages from 1" >&2; exit 2 ;; esac
case "$DBKIND" in mysql | sqlite) ;; *) echo "$0: -s takes mysql or sqlite" >&2; exit 2 ;; esac
case "$QUERY" in '' | *[!A-Za-z0-9]*) echo "$0: -q takes one plain word (letters and digits)" >&2; exit 2 ;; esac

ADDR=127.0.0.1:$PORT
OPS_ADDR=127.0.0.1:$((PORT + 10))
DB=${LOSTINNL_LOAD_DB:-lostinnl_load} # another name keeps data sets of several sizes apart
DSN="mysql://root@tcp(127.0.0.1:3306)/$DB"
MYSQL=(mysql --protocol=tcp -h127.0.0.1 -P3306 -uroot --batch --skip-column-names)

TOOLS=(go wrk curl)
[ "$DBKIND" = mysql ] && TOOLS+=(mysql)
for tool in "${TOOLS[@]}"; do
	if ! command -v "$tool" >/dev/null 2>&1; then
		echo "$0: $tool is required (wrk and the mysql client: apt-get install -y wrk mariadb-client)" >&2
		exit 2
	fi
done
if [ "$DBKIND" = mysql ] && ! "${MYSQL[@]}" -e 'SELECT 1' >/dev/null 2>&1; then
	echo "$0: cannot reach MariaDB/MySQL at 127.0.0.1:3306 as root without a password" >&2
	exit 2
fi
listening() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
for p in "$PORT" $((PORT + 10)); do
	if listening "$p"; then
		echo "$0: something already listens on 127.0.0.1:$p; stop it or choose another port with -p" >&2
		exit 2
	fi
done

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
HERE="$ROOT/scripts/load"
TMP=$(mktemp -d "${TMPDIR:-/tmp}/lostinnl-load.XXXXXX")
SERVER_PID=""
CREATED_DB=0

cleanup() {
	local rc=$?
	if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
		kill -TERM "$SERVER_PID" 2>/dev/null || true
		for _ in $(seq 1 50); do
			kill -0 "$SERVER_PID" 2>/dev/null || break
			sleep 0.2
		done
		kill -KILL "$SERVER_PID" 2>/dev/null || true
	fi
	if [ "$DBKIND" = sqlite ] && [ "$KEEP_DB" = 0 ]; then
		rm -rf "$SQLITE_DIR"
	fi
	if [ "$CREATED_DB" = 1 ] && [ "$KEEP_DB" = 0 ]; then
		"${MYSQL[@]}" -e "DROP DATABASE IF EXISTS \`$DB\`" || echo "$0: could not drop $DB" >&2
	fi
	if [ $rc -ne 0 ] && [ -f "$TMP/server.log" ]; then
		echo "--- last lines of the server log ---" >&2
		tail -n 20 "$TMP/server.log" >&2 || true
	fi
	rm -rf "$TMP"
	exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM

SQLITE_DIR=${TMPDIR:-/tmp}/lostinnl_load_sqlite_$CASES
DATA_DIR="$TMP/data"
if [ "$DBKIND" = sqlite ]; then
	DATA_DIR=$SQLITE_DIR
	DSN="sqlite:$SQLITE_DIR/load.db"
	if [ -f "$SQLITE_DIR/load.db" ]; then
		echo "using the existing SQLite database $SQLITE_DIR/load.db"
	fi
else
	# With -k the data directory (its key) is kept with the database: keys
	# the server seals into the database (mail, sign-in) must open again.
	[ "$KEEP_DB" = 1 ] && DATA_DIR=${TMPDIR:-/tmp}/${DB}_data
fi
if [ "$DBKIND" = sqlite ]; then
	:
elif [ -z "$("${MYSQL[@]}" -e "SHOW DATABASES LIKE '$DB'")" ]; then
	"${MYSQL[@]}" -e "CREATE DATABASE \`$DB\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci"
	CREATED_DB=1
	echo "created database $DB"
else
	echo "using the existing database $DB (it will not be dropped)"
fi

echo "building lostinnl and the seeder"
(cd "$ROOT" && go build -o "$TMP/lostinnl" ./cmd/lostinnl && go build -o "$TMP/seed" ./scripts/load/seed)

export LOSTINNL_DATABASE_URL="$DSN"
export LOSTINNL_DATA_DIR="$DATA_DIR"
export LOSTINNL_ADDR="$ADDR"
export LOSTINNL_OPS_ADDR="$OPS_ADDR"
export LOSTINNL_BASE_URL="http://$ADDR"
export LOSTINNL_MEDIA_URL="file://$DATA_DIR/media"
unset LOSTINNL_SECRETS_KEEPER # local key file in the data dir
mkdir -p "$DATA_DIR/media"

# With -k the seeder's id and query lists are kept too (KEEP_LISTS), so
# -r can skip the seeding pass, which on 100,000 MariaDB cases takes
# minutes even when nothing is missing.
KEEP_LISTS=$DATA_DIR
[ "$DBKIND" = mysql ] && KEEP_LISTS=${TMPDIR:-/tmp}/${DB}_lists
if [ "$REUSE" = 1 ] && [ -s "$KEEP_LISTS/ids.txt" ] && [ -s "$KEEP_LISTS/queries.txt" ]; then
	echo "reusing the seeded data and the lists in $KEEP_LISTS (-r)"
	cp "$KEEP_LISTS/ids.txt" "$KEEP_LISTS/queries.txt" "$TMP/"
else
	echo "seeding $CASES cases (idempotent)"
	"$TMP/seed" -n "$CASES" -ids "$TMP/ids.txt" -queries "$TMP/queries.txt"
	if [ "$KEEP_DB" = 1 ]; then
		mkdir -p "$KEEP_LISTS"
		cp "$TMP/ids.txt" "$TMP/queries.txt" "$KEEP_LISTS/"
	fi
fi
QUERY_COUNT=$(wc -l <"$TMP/queries.txt")
if [ "$DBKIND" = mysql ]; then
	CASE_COUNT=$("${MYSQL[@]}" -e "SELECT COUNT(*) FROM \`$DB\`.cases")
	DB_VERSION=$("${MYSQL[@]}" -e 'SELECT VERSION()')
else
	CASE_COUNT="about $((CASES + 40))"
	DB_VERSION="SQLite"
fi
PUBLIC_IDS=$(wc -l <"$TMP/ids.txt")

stop_server() {
	if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
		kill -TERM "$SERVER_PID" 2>/dev/null || true
		wait "$SERVER_PID" 2>/dev/null || true
	fi
	SERVER_PID=""
}
start_server() { # extra environment for the server, as NAME=VALUE words
	echo "starting the server on $ADDR${1:+ with $*}"
	env "$@" "$TMP/lostinnl" serve >>"$TMP/server.log" 2>&1 &
	SERVER_PID=$!
	for _ in $(seq 1 150); do
		if curl -s -o /dev/null --max-time 1 "http://$ADDR/healthz"; then return 0; fi
		if ! kill -0 "$SERVER_PID" 2>/dev/null; then
			echo "$0: the server exited during start-up" >&2
			exit 1
		fi
		sleep 0.2
	done
	echo "$0: the server did not answer /healthz within 30 s" >&2
	exit 1
}
# wait_idle: until the server's own background work after start-up is
# over (the seeded data's notifications, which a fresh data set's first
# start expands into the outbox, took 10 % of the CPU of the first
# measurements at 100,000 cases): its CPU time grows by under 5 % of a core
# over a second, at most 5 minutes.
wait_idle() {
	local before after
	for _ in $(seq 1 300); do
		before=$(awk '{print $14+$15}' "/proc/$SERVER_PID/stat")
		sleep 1
		after=$(awk '{print $14+$15}' "/proc/$SERVER_PID/stat")
		[ $((after - before)) -lt 5 ] && return 0
	done
	echo "$0: warning: the server is still busy 5 minutes after starting" >&2
}
start_server
wait_idle
if ! curl -sf -o /dev/null "http://$ADDR/cases"; then
	echo "$0: GET /cases does not answer 200: is the real site wired into the binary?" >&2
	exit 1
fi

FIRST_ID=$(head -n 1 "$TMP/ids.txt")
for path in / /cases "/cases?q=$QUERY" "/cases/$FIRST_ID"; do
	code=$(curl -s -o "$TMP/page.html" -w '%{http_code}' "http://$ADDR$path")
	if [ "$code" != 200 ]; then
		echo "$0: GET $path answered $code" >&2
		exit 1
	fi
done
if ! grep -q 'people found\|person found' <(curl -s "http://$ADDR/cases?q=$QUERY"); then
	echo "$0: /cases?q=$QUERY does not look like a results page" >&2
	exit 1
fi

rss() { awk -v k="$1:" '$1 == k { print int($2 / 1024) }' "/proc/$SERVER_PID/status"; }
# CPU time (user+system, clock ticks) of a process. CPU per request is the
# figure that survives a busy machine: requests/s drop when other processes
# compete for the cores, the work each request costs does not.
TICKS=$(getconf CLK_TCK)
cputicks() { awk '{ print $14 + $15 }' "/proc/$1/stat" 2>/dev/null || echo 0; }
DB_PID=""
[ "$DBKIND" = mysql ] && DB_PID=$(pgrep -x mariadbd || pgrep -x mysqld || true)
DB_PID=${DB_PID%%$'\n'*}
if [ -n "$DB_PID" ] && [ ! -r "/proc/$DB_PID/stat" ]; then DB_PID=""; fi
per_req() { # ticks requests -> microseconds per request
	awk -v t="$1" -v n="$2" -v hz="$TICKS" 'BEGIN { if (n > 0) printf "%.0f", t * 1e6 / hz / n; else print "-" }'
}

# Short warm-up so the first measured URL does not pay for cold caches
# (MariaDB buffer pool, Go's connection pool, template buffers).
wrk -t"$THREADS" -c"$CONNS" -d3s -s "$HERE/random_case.lua" "http://$ADDR" -- "$TMP/ids.txt" >/dev/null

ROWS=()
measure() {
	local name=$1
	shift
	local out s0 s1 d0=0 d1=0
	s0=$(cputicks "$SERVER_PID")
	[ -n "$DB_PID" ] && d0=$(cputicks "$DB_PID")
	out=$(wrk -t"${MEASURE_THREADS:-$THREADS}" -c"${MEASURE_CONNS:-$CONNS}" -d"$DURATION" --latency ${GZIP[@]+"${GZIP[@]}"} "$@")
	s1=$(cputicks "$SERVER_PID")
	[ -n "$DB_PID" ] && d1=$(cputicks "$DB_PID")
	echo "$out" >"$TMP/wrk-$(echo "$name" | tr -c 'A-Za-z0-9' '_').txt"
	local rps p50 p99 errs non2xx load n scpu dcpu="-"
	load=$(cut -d' ' -f1 /proc/loadavg)
	n=$(awk '/ requests in / { print $1 }' <<<"$out")
	scpu=$(per_req $((s1 - s0)) "$n")
	[ -n "$DB_PID" ] && dcpu=$(per_req $((d1 - d0)) "$n")
	rps=$(awk '/^Requests\/sec:/ { printf "%.0f", $2 }' <<<"$out")
	p50=$(awk '$1 == "50%" { print $2 }' <<<"$out")
	p99=$(awk '$1 == "99%" { print $2 }' <<<"$out")
	errs=$(awk '/Socket errors:/ { print }' <<<"$out")
	non2xx=$(awk '/Non-2xx or 3xx responses:/ { print $NF }' <<<"$out")
	ROWS+=("| \`$name\` | $rps | $p50 | $p99 | $(rss VmRSS) | $(rss VmHWM) | $scpu | $dcpu | ${non2xx:-0} | $load |")
	echo "$name: $rps req/s, p50 $p50, p99 $p99, RSS $(rss VmRSS) MB (peak $(rss VmHWM) MB), CPU/request: server ${scpu} µs, database ${dcpu} µs${non2xx:+, NON-2XX: $non2xx}${errs:+, $errs}"
}

echo "measuring: wrk -t$THREADS -c$CONNS -d$DURATION --latency${GZIP[*]:+ (gzip clients)}"
if [ "$UNCACHED_ONLY" = 0 ]; then
	measure "/" "http://$ADDR/"
	measure "/cases" "http://$ADDR/cases"
	measure "/cases?q=$QUERY" "http://$ADDR/cases?q=$QUERY"
	# Case pages with random ids: the first pass starts with only the warm-up's
	# pages in the page cache and builds the others as it meets them; by the
	# second every page is kept, as on a site whose pages have all been visited
	# since the last change.
	measure "/cases/{id} (random, first pass)" -s "$HERE/random_case.lua" "http://$ADDR" -- "$TMP/ids.txt"
	measure "/cases/{id} (random, cached)" -s "$HERE/random_case.lua" "http://$ADDR" -- "$TMP/ids.txt"
	# The fixed URLs above are answered from the page cache after the first
	# request, as in a burst from one shared link. What a page costs to build
	# (traffic spread over many different searches and pages, or the first
	# views after a change has emptied the cache): the same server again with
	# the page cache off.
fi
stop_server
start_server LOSTINNL_PAGE_CACHE_MB=0
wait_idle
wrk -t"$THREADS" -c"$CONNS" -d3s -s "$HERE/random_case.lua" "http://$ADDR" -- "$TMP/ids.txt" >/dev/null
measure "/cases/{id} (random, page cache off)" -s "$HERE/random_case.lua" "http://$ADDR" -- "$TMP/ids.txt"
measure "/ (page cache off)" "http://$ADDR/"
measure "/cases?page=1..$PAGES (page cache off)" -s "$HERE/uncached.lua" "http://$ADDR" -- listing "$PAGES"
measure "/cases?q=<$QUERY_COUNT rotating queries> (page cache off)" -s "$HERE/uncached.lua" "http://$ADDR" -- search "$TMP/queries.txt"
# The same searches asked one at a time: what a search costs a visitor
# when nobody queues before it (the passes above keep CONNECTIONS
# requests outstanding on the machine's cores, so their latency is mostly
# the wait behind the others).
MEASURE_THREADS=1 MEASURE_CONNS=1 measure "/cases?q=<$QUERY_COUNT rotating queries>, one connection (page cache off)" -s "$HERE/uncached.lua" "http://$ADDR" -- search "$TMP/queries.txt"

{
	echo "Load test $(date -u '+%Y-%m-%d %H:%M UTC'): lostinnl $("$TMP/lostinnl" version 2>/dev/null | head -n 1), $(nproc) CPUs, $DB_VERSION,"
	echo "$CASE_COUNT cases in the database ($PUBLIC_IDS public), wrk -t$THREADS -c$CONNS -d$DURATION on loopback${GZIP[*]:+, clients accepting gzip}."
	echo "The load average column is the machine's 1-minute load at the end of each run: above the CPU count, other"
	echo "processes were competing with the server and MariaDB, and the figures are lower than on an idle machine."
	echo "Read model rebuilt at start-up: $(grep -o 'msg="read model rebuilt".*' "$TMP/server.log" | tail -n 1)."
	echo "CPU µs/req is the CPU time the server (and the local MariaDB) spent per request: it does not depend on that competition."
	echo
	echo "| URL | requests/s | p50 | p99 | RSS after (MB) | peak RSS (MB) | server CPU µs/req | DB CPU µs/req | non-2xx | load avg at end |"
	echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
	printf '%s\n' "${ROWS[@]}"
} | tee "$TMP/results.md"
if [ -n "$OUT" ]; then
	cp "$TMP/results.md" "$OUT"
fi
