#!/usr/bin/env bash
# Crawls every public URL of two lostinnl binaries serving the same demo
# data and diffs the answers: the proof of "no visible change" for a
# refactor (issue 14). Usage:
#
#   scripts/crawl/compare.sh OLD_BINARY NEW_BINARY [OUT_DIR]
#
# Build each binary with `go build -o FILE ./cmd/lostinnl` at the commit to
# compare. The demo seeds dates relative to today and random media names, so
# OLD seeds a SQLite data dir once and every run serves a copy of it. OLD is
# crawled twice: whatever differs between those two runs of the same binary
# varies by itself and is reported separately, not blamed on NEW. Each URL
# is fetched twice in a row (the second answer comes from the page cache)
# and both answers are kept. Saved per URL: status, the response headers
# except Date and X-Request-Id, and the body with the request id that error
# pages quote replaced by "REQUEST-ID" (ids are new on every request).
# Exits 0 when NEW answers exactly like OLD.
set -euo pipefail

old=$(realpath "$1")
new=$(realpath "$2")
out=${3:-$(mktemp -d)}
mkdir -p "$out"
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; }
trap cleanup EXIT

# start BIN DATADIR LOG: serve on a free loopback port; sets base to its URL.
# (Not run in $(...): the server's pid must stay in this shell's pids.)
start() {
	LOSTINNL_DATA_DIR=$2 LOSTINNL_ADDR=127.0.0.1:0 LOSTINNL_OPS_ADDR=127.0.0.1:0 \
		LOSTINNL_BASE_URL=http://localhost:8080 "$1" serve --demo >"$3" 2>&1 &
	pids+=($!)
	for _ in $(seq 100); do
		base=$(grep -o 'msg="lostinnl serving" url=[^ ]*' "$3" | sed 's/.*url=//' || true)
		[ -n "$base" ] && return
		sleep 0.1
	done
	echo "no 'lostinnl serving' line in $3" >&2
	exit 1
}

# stop: ends the last server started (its own pid only).
stop() {
	local p=${pids[-1]}
	kill "$p"
	wait "$p" 2>/dev/null || true
	unset 'pids[-1]'
}

# urls BASE: every public URL, one a line (paths only).
urls() {
	local base=$1
	printf '%s\n' / /resources /about /privacy /contact /submit /robots.txt /favicon.ico \
		/submit/thanks /contact/thanks /nope \
		/api/v1/cases '/api/v1/cases?per_page=5' '/api/v1/cases?per_page=5&page=2' \
		'/api/v1/cases?status=located' '/api/v1/cases?status=all&sort=relevance&q=a' \
		/cases '/cases?page=2' '/cases?page=3' '/cases?status=located' '/cases?status=all' \
		'/cases?status=all&sort=relevance&q=bay' '/cases?region=Labrador' '/cases?region=Avalon' \
		'/cases?sex=female' '/cases?sex=male&age_min=10&age_max=40' '/cases?since=2026-01-01' \
		'/cases?q=%3Cscript%3E' '/cases?utm_source=x&fbclid=y' '/cases?page=999' '/cases?age_min=abc' \
		'/cases?status=bogus'
	local id
	for id in $(seq 0 45); do
		printf '%s\n' "/cases/$id" "/cases/$id?tip=sent" "/cases/$id/photos/1" "/cases/$id/photos/2" "/api/v1/cases/$id"
	done
	# Static assets and media the pages link to.
	curl -s "$base/" "$base/cases" "$base/cases?status=all" |
		grep -o '"/\(static\|media\)/[^"]*"' | tr -d '"' | sort -u | head -50
}

# crawl BASE DIR: saves each URL's answers, fetched twice, into DIR.
crawl() {
	local base=$1 dir=$2 n=0 u f
	mkdir -p "$dir"
	while read -r u; do
		f=$dir/$(printf '%s' "$u" | sed 's/[^A-Za-z0-9._=-]/_/g')
		for pass in 1 2; do
			curl -s -D "$f.h$pass" -o "$f.b$pass" "$base$u"
			grep -vi '^\(date\|x-request-id\):' "$f.h$pass" >"$f.h$pass.tmp" && mv "$f.h$pass.tmp" "$f.h$pass"
			grep -qi '^content-type: text/html' "$f.h$pass" &&
				sed -i 's/Request id: <code>[0-9a-f]*<\/code>/Request id: <code>REQUEST-ID<\/code>/' "$f.b$pass"
		done
		n=$((n + 1))
	done < <(urls "$base")
	echo "$n"
}

seed=$out/seed
rm -rf "$seed" "$out"/old1 "$out"/old2 "$out"/new "$out"/data-*
mkdir -p "$seed"
start "$old" "$seed" "$out/seed.log"
stop
for run in old1 old2 new; do
	cp -a "$seed" "$out/data-$run"
	bin=$old
	[ "$run" = new ] && bin=$new
	start "$bin" "$out/data-$run" "$out/$run.log"
	n=$(crawl "$base" "$out/$run")
	stop
	echo "$run: $n URLs crawled (each twice)"
done

noise=$(diff -rq "$out/old1" "$out/old2" | awk '{print $2}' || true)
if [ -n "$noise" ]; then
	echo "$(wc -l <<<"$noise") files vary between two runs of OLD (excluded from the verdict):"
	printf '  %s\n' $noise
fi
status=0
while read -r line; do
	f=$(awk '{print $2}' <<<"$line")
	if grep -qxF "$f" <<<"$noise"; then continue; fi
	echo "DIFFERS: $line"
	status=1
done < <(diff -rq "$out/old1" "$out/new" || true)
[ $status = 0 ] && echo "identical: every answer of NEW matches OLD (details in $out)"
exit $status
