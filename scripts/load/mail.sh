#!/usr/bin/env bash
# Load test of issue 16's mail figures: publishing a case in a region with
# 10,000 confirmed area subscribers, with the real `lostinnl serve` binary
# (SQLite, a temporary data dir) sending to a loopback SMTP sink while wrk
# measures a public page. Figures: docs/performance.md, "Mail alerts while
# the site serves".
#
# Per round (idle and sending alternate, because the machine is shared):
#   1. wrk on random case pages with the page cache off, the outbox idle;
#   2. one pending case in the region is published (Store.TransitionCase,
#      what the moderator's button runs): its time is the moderator's wait;
#   3. as soon as the first alert reaches the sink, the same wrk run again,
#      while the fan-out and the sender work;
#   4. wait until all the subscribers' alerts reached the sink: the time
#      from publishing to the last one, the server's RSS sampled every
#      0.2 s meanwhile, and the server's CPU time per message.
# Then a table: requests/s idle vs sending and the drop, publish ms,
# delivery time, peak RSS, the load average of each run.
#
# Usage (from anywhere in the repository):
#
#   scripts/load/mail.sh [-s SUBSCRIBERS] [-n CASES] [-R ROUNDS] [-d DURATION]
#                        [-t THREADS] [-c CONNECTIONS] [-r MAIL_RATE] [-p PORT] [-o FILE]
#
#   -s  confirmed area subscribers (default 10000)
#   -n  generated demo cases for the public pages (default 10000)
#   -R  rounds of idle/sending (default 3)
#   -d  wrk duration (default 15s)     -t/-c  wrk threads/connections (2/64)
#   -r  LOSTINNL_MAIL_RATE for the server (default: the server's default)
#   -p  port of the server on 127.0.0.1 (default 18280); the ops listener
#       takes PORT+10, the sink's SMTP PORT+20 and its counter PORT+21
#   -o  also write the results (Markdown) to this file
#
# Needs: go, wrk, curl. Everything stays on loopback; the data dir is
# temporary and removed at the end; the script stops only what it started.
set -euo pipefail

SUBS=10000
CASES=10000
ROUNDS=3
DURATION=15s
THREADS=2
CONNS=64
RATE=""
PORT=18280
OUT=""
while getopts "s:n:R:d:t:c:r:p:o:h" opt; do
	case "$opt" in
	s) SUBS=$OPTARG ;;
	n) CASES=$OPTARG ;;
	R) ROUNDS=$OPTARG ;;
	d) DURATION=$OPTARG ;;
	t) THREADS=$OPTARG ;;
	c) CONNS=$OPTARG ;;
	r) RATE=$OPTARG ;;
	p) PORT=$OPTARG ;;
	o) OUT=$OPTARG ;;
	h) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
	*) echo "usage: $0 [-s SUBS] [-n CASES] [-R ROUNDS] [-d DURATION] [-t THREADS] [-c CONNS] [-r RATE] [-p PORT] [-o FILE]" >&2; exit 2 ;;
	esac
done
shift $((OPTIND - 1))
if [ $# -gt 0 ]; then
	echo "$0: unexpected argument: $1" >&2
	exit 2
fi
for v in "$SUBS" "$CASES" "$ROUNDS" "$PORT" ${RATE:+"$RATE"}; do
	case "$v" in '' | *[!0-9]*) echo "$0: -s, -n, -R, -r and -p take whole numbers" >&2; exit 2 ;; esac
done
if [ "$SUBS" -lt 1 ] || [ "$ROUNDS" -lt 1 ]; then
	echo "$0: -s and -R must be at least 1" >&2
	exit 2
fi
for tool in go wrk curl; do
	if ! command -v "$tool" >/dev/null 2>&1; then
		echo "$0: $tool is required (wrk: apt-get install -y wrk)" >&2
		exit 2
	fi
done

ADDR=127.0.0.1:$PORT
OPS_ADDR=127.0.0.1:$((PORT + 10))
SMTP_ADDR=127.0.0.1:$((PORT + 20))
SINK_ADDR=127.0.0.1:$((PORT + 21))
listening() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
for p in "$PORT" $((PORT + 10)) $((PORT + 20)) $((PORT + 21)); do
	if listening "$p"; then
		echo "$0: something already listens on 127.0.0.1:$p; choose another port with -p" >&2
		exit 2
	fi
done

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
HERE="$ROOT/scripts/load"
TMP=$(mktemp -d "${TMPDIR:-/tmp}/lostinnl-mailload.XXXXXX")
SERVER_PID=""
SINK_PID=""
SAMPLER_PID=""

stop_pid() {
	local pid=$1
	[ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || return 0
	kill -TERM "$pid" 2>/dev/null || true
	for _ in $(seq 1 50); do
		kill -0 "$pid" 2>/dev/null || return 0
		sleep 0.2
	done
	kill -KILL "$pid" 2>/dev/null || true
}
cleanup() {
	local rc=$?
	stop_pid "$SAMPLER_PID"
	stop_pid "$SERVER_PID"
	stop_pid "$SINK_PID"
	if [ $rc -ne 0 ] && [ -f "$TMP/server.log" ]; then
		echo "--- last lines of the server log ---" >&2
		tail -n 20 "$TMP/server.log" >&2 || true
	fi
	rm -rf "$TMP"
	exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM

echo "building lostinnl and mailload"
(cd "$ROOT" && go build -o "$TMP/lostinnl" ./cmd/lostinnl && go build -o "$TMP/mailload" ./scripts/load/mailload)

# SQLite and the local key file in the temporary data dir, for the server
# and for mailload alike (so what mailload seals, the server opens).
unset LOSTINNL_DATABASE_URL LOSTINNL_MEDIA_URL LOSTINNL_SECRETS_KEEPER LOSTINNL_SMTP_URL
export LOSTINNL_DATA_DIR="$TMP/data"
export LOSTINNL_ADDR="$ADDR"
export LOSTINNL_OPS_ADDR="$OPS_ADDR"
export LOSTINNL_BASE_URL="http://$ADDR"
if [ -n "$RATE" ]; then export LOSTINNL_MAIL_RATE="$RATE"; fi
mkdir -p "$TMP/data"

echo "preparing: $CASES demo cases, $SUBS confirmed subscribers in Western, $ROUNDS cases to publish"
"$TMP/mailload" prepare -subs "$SUBS" -region Western -cases "$CASES" -publish "$ROUNDS" \
	-ids "$TMP/ids.txt" -pending "$TMP/pending.txt"

"$TMP/mailload" sink -smtp "$SMTP_ADDR" -http "$SINK_ADDR" >>"$TMP/sink.log" 2>&1 &
SINK_PID=$!
counts() { curl -sf --max-time 2 "http://$SINK_ADDR/"; } # "all alerts last_unix_nano"
for _ in $(seq 1 50); do
	counts >/dev/null && break
	sleep 0.2
done
counts >/dev/null || { echo "$0: the sink did not start" >&2; exit 1; }

echo "starting the server on $ADDR (page cache off, SMTP to the sink)"
LOSTINNL_PAGE_CACHE_MB=0 LOSTINNL_SMTP_URL="smtp://$SMTP_ADDR?tls=none" \
	"$TMP/lostinnl" serve >>"$TMP/server.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 1 150); do
	if curl -s -o /dev/null --max-time 1 "http://$ADDR/healthz"; then break; fi
	if ! kill -0 "$SERVER_PID" 2>/dev/null; then
		echo "$0: the server exited during start-up" >&2
		exit 1
	fi
	sleep 0.2
done
FIRST_ID=$(head -n 1 "$TMP/ids.txt")
code=$(curl -s -o /dev/null -w '%{http_code}' "http://$ADDR/cases/$FIRST_ID")
if [ "$code" != 200 ]; then
	echo "$0: GET /cases/$FIRST_ID answered $code" >&2
	exit 1
fi

TICKS=$(getconf CLK_TCK)
cputicks() { awk '{ print $14 + $15 }' "/proc/$1/stat" 2>/dev/null || echo 0; }
status_mb() { awk -v k="$1:" '$1 == k { print int($2 / 1024) }' "/proc/$SERVER_PID/status"; }
load1() { cut -d' ' -f1 /proc/loadavg; }
field() { awk -v i="$2" '{ print $i }' <<<"$1"; }

# wrk on random case pages; prints requests/s and the server's CPU µs
# per request over the run (mail included while it sends), checks for
# errors.
run_wrk() {
	local out rps non2xx c0 c1 n
	c0=$(cputicks "$SERVER_PID")
	out=$(wrk -t"$THREADS" -c"$CONNS" -d"$DURATION" -s "$HERE/random_case.lua" "http://$ADDR" -- "$TMP/ids.txt")
	echo "$out" >>"$TMP/wrk.txt"
	non2xx=$(awk '/Non-2xx or 3xx responses:/ { print $NF }' <<<"$out")
	if [ -n "$non2xx" ]; then
		echo "$0: wrk saw $non2xx non-2xx answers" >&2
		exit 1
	fi
	c1=$(cputicks "$SERVER_PID")
	rps=$(awk '/^Requests\/sec:/ { printf "%.0f", $2 }' <<<"$out")
	n=$(awk '/ requests in / { print $1 }' <<<"$out")
	echo "$rps $(awk -v t=$((c1 - c0)) -v n="$n" -v hz="$TICKS" 'BEGIN { printf "%.0f", t * 1e6 / hz / n }')"
}

echo "warming up"
wrk -t"$THREADS" -c"$CONNS" -d3s -s "$HERE/random_case.lua" "http://$ADDR" -- "$TMP/ids.txt" >/dev/null

ROWS=()
SUM_IDLE=0
SUM_SEND=0
WORST_DELIVERY=0
WORST_PUBLISH=0
PEAK_RSS=0
PEAK_ANON=0
round=0
while read -r CASE_ID; do
	round=$((round + 1))
	before=$(counts)
	base=$(field "$before" 2)

	la_idle=$(load1)
	read -r idle idle_cpu < <(run_wrk)
	la_idle="$la_idle→$(load1)"
	echo "round $round: idle $idle req/s, server CPU $idle_cpu µs/request (load $la_idle)"

	if [ "$(field "$(counts)" 1)" != "$(field "$before" 1)" ]; then
		echo "$0: mail arrived while the outbox should have been idle" >&2
		exit 1
	fi
	pub=$("$TMP/mailload" publish -case "$CASE_ID")
	start_ns=$(field "$pub" 1)
	publish_ms=$(field "$pub" 2)

	# RSS sampled while the alert goes out: VmRSS, and RssAnon, the
	# process's own memory (VmRSS also counts the pages of the SQLite file
	# the server has mmap'd and touched — up to mmap_size, 256 MB — which
	# are the kernel's page cache, shared and dropped under pressure).
	rss_before="$(status_mb VmRSS)/$(status_mb RssAnon)"
	echo "0 0" >"$TMP/rss.peak"
	(
		peak=0
		anon=0
		while kill -0 "$SERVER_PID" 2>/dev/null; do
			read -r r a < <(awk '$1 == "VmRSS:" { r = $2 } $1 == "RssAnon:" { a = $2 } END { print r + 0, a + 0 }' "/proc/$SERVER_PID/status" 2>/dev/null || echo 0 0)
			if [ "$r" -gt "$peak" ] || [ "$a" -gt "$anon" ]; then
				peak=$((r > peak ? r : peak))
				anon=$((a > anon ? a : anon))
				echo "$peak $anon" >"$TMP/rss.peak"
			fi
			sleep 0.2
		done
	) &
	SAMPLER_PID=$!

	first_wait=0
	until [ "$(field "$(counts)" 2)" -gt "$base" ]; do
		first_wait=$((first_wait + 1))
		if [ "$first_wait" -gt 300 ]; then
			echo "$0: no alert reached the sink within 60 s of publishing" >&2
			exit 1
		fi
		sleep 0.2
	done
	first_s=$(awk -v a="$start_ns" -v b="$(date +%s%N)" 'BEGIN { printf "%.1f", (b - a) / 1e9 }')
	la_send=$(load1)
	read -r sending sending_cpu < <(run_wrk)
	la_send="$la_send→$(load1)"
	# From here on the server does nothing but mail: its CPU time until
	# the last alert, per alert delivered meanwhile, is what mail costs
	# (the sink's own CPU is reported for the whole run).
	c0=$(cputicks "$SERVER_PID")
	s0=$(cputicks "$SINK_PID")
	t0=$(date +%s%N)
	mid=$(field "$(counts)" 2)
	echo "round $round: first alert ${first_s} s after publishing; sending $sending req/s, server CPU $sending_cpu µs/request (load $la_send), $((mid - base)) alerts delivered by the end of the run"

	want=$((base + SUBS))
	waited=0
	until [ "$(field "$(counts)" 2)" -ge "$want" ]; do
		waited=$((waited + 1))
		if [ "$waited" -gt 3000 ]; then
			echo "$0: only $(($(field "$(counts)" 2) - base)) of $SUBS alerts within 10 minutes" >&2
			exit 1
		fi
		sleep 0.2
	done
	c1=$(cputicks "$SERVER_PID")
	t1=$(date +%s%N)
	s1=$(cputicks "$SINK_PID")
	stop_pid "$SAMPLER_PID"
	SAMPLER_PID=""
	after=$(counts)
	got=$(($(field "$after" 2) - base))
	last_ns=$(field "$after" 3)
	delivery=$(awk -v a="$start_ns" -v b="$last_ns" 'BEGIN { printf "%.1f", (b - a) / 1e9 }')
	read -r rss_peak anon_peak <"$TMP/rss.peak"
	rss_peak=$((rss_peak / 1024))
	anon_peak=$((anon_peak / 1024))
	cpu_per_msg=$(awk -v t=$((c1 - c0)) -v n=$((want - mid)) -v hz="$TICKS" 'BEGIN { if (n > 0) printf "%.0f", t * 1e6 / hz / n; else print "-" }')
	# Share of the machine's CPU the mail work took (server; sink) while
	# nothing else was asked of the server: the figure that does not
	# depend on what other processes on the machine did.
	share=$(awk -v c=$((c1 - c0)) -v k=$((s1 - s0)) -v ns=$((t1 - t0)) -v hz="$TICKS" -v n="$(nproc)" \
		'BEGIN { w = ns / 1e9 * n; printf "%.1f %% + %.1f %%", c / hz * 100 / w, k / hz * 100 / w }')
	drop=$(awk -v i="$idle" -v s="$sending" 'BEGIN { printf "%.1f", (i - s) * 100 / i }')
	echo "round $round: published in $publish_ms ms; $got alerts in $delivery s; peak RSS $rss_peak MB (anonymous $anon_peak MB; before publishing $rss_before); server CPU $cpu_per_msg µs/alert, CPU share server + sink $share; drop $drop %"
	ROWS+=("| $round | $idle ($idle_cpu µs) | $la_idle | $sending ($sending_cpu µs) | $la_send | $drop % | $publish_ms | $delivery | $rss_before | $rss_peak / $anon_peak | $cpu_per_msg | $share |")
	SUM_IDLE=$((SUM_IDLE + idle))
	SUM_SEND=$((SUM_SEND + sending))
	WORST_DELIVERY=$(awk -v a="$WORST_DELIVERY" -v b="$delivery" 'BEGIN { print (b > a) ? b : a }')
	WORST_PUBLISH=$(awk -v a="$WORST_PUBLISH" -v b="$publish_ms" 'BEGIN { print (b > a) ? b : a }')
	[ "$rss_peak" -gt "$PEAK_RSS" ] && PEAK_RSS=$rss_peak
	[ "$anon_peak" -gt "$PEAK_ANON" ] && PEAK_ANON=$anon_peak
done <"$TMP/pending.txt"

if grep -q 'level=ERROR\|level=WARN' "$TMP/server.log"; then
	echo "--- warnings and errors of the server ---"
	grep 'level=ERROR\|level=WARN' "$TMP/server.log" | tail -n 10
fi
HWM=$(status_mb VmHWM)
SINK_CPU=$(awk -v t="$(cputicks "$SINK_PID")" -v n="$(field "$(counts)" 1)" -v hz="$TICKS" 'BEGIN { if (n > 0) printf "%.0f", t * 1e6 / hz / n; else print "-" }')
{
	echo "Mail load test $(date -u '+%Y-%m-%d %H:%M UTC'): lostinnl $("$TMP/lostinnl" version 2>/dev/null | head -n 1), $(nproc) CPUs, SQLite,"
	echo "$(wc -l <"$TMP/ids.txt") public cases, $SUBS confirmed subscribers in one region, LOSTINNL_MAIL_RATE=${RATE:-default},"
	echo "page cache off, wrk -t$THREADS -c$CONNS -d$DURATION on random case pages, SMTP sink on loopback (same machine)."
	echo "Load averages: 1-minute load at the start→end of each wrk run."
	echo
	echo "| round | idle req/s (server CPU/request) | load | sending req/s (server CPU/request) | load | drop | publish ms | all alerts at sink (s) | RSS / anon before publishing (MB) | peak RSS / anon while sending (MB) | server CPU µs/alert (after wrk) | share of the machine's CPU, server + sink (after wrk) |"
	echo "|---|---:|---|---:|---|---:|---:|---:|---:|---:|---:|---:|"
	printf '%s\n' "${ROWS[@]}"
	awk -v i="$SUM_IDLE" -v s="$SUM_SEND" -v n="$round" 'BEGIN { printf "\nMean: idle %.0f req/s, sending %.0f req/s, drop %.1f %%.\n", i / n, s / n, (i - s) * 100 / i }'
	echo "The SMTP sink (its own process on the same 2 cores) spent $SINK_CPU µs of CPU per message it received."
	echo "Worst: publish $WORST_PUBLISH ms, all alerts after $WORST_DELIVERY s; peak RSS while sending $PEAK_RSS MB, of which the server's own (RssAnon) $PEAK_ANON MB; VmHWM of the whole run $HWM MB."
} | tee "$TMP/results.md"
if [ -n "$OUT" ]; then
	cp "$TMP/results.md" "$OUT"
fi
