#!/bin/sh
# vendor-leaflet.sh copies Leaflet's built files from npm into the embedded
# assets (internal/web/kit/static/vendor/leaflet/), so the binary serves
# them itself (no CDN at run time, script-src 'self'). go:embed needs the
# files in the tree, so the copies are committed; node_modules never is.
#
# Usage: scripts/vendor-leaflet.sh [version]   (default: the newest 1.9.x)
# Then review `git diff --stat`, run the map tests and commit the result.
# Leaflet's files are copied unchanged: anything of ours goes in map.js.
set -eu

version=${1:-1.9}
root=$(cd "$(dirname "$0")/.." && pwd)
dest=$root/internal/web/kit/static/vendor/leaflet
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# npm pack fetches the published tarball only (no install scripts run).
(cd "$tmp" && npm pack --silent "leaflet@$version" >/dev/null)
tar -xzf "$tmp"/leaflet-*.tgz -C "$tmp"
pkg=$tmp/package
got=$(node -p "require('$pkg/package.json').version")

rm -rf "$dest"
mkdir -p "$dest/images"
cp "$pkg/dist/leaflet.js" "$pkg/dist/leaflet.css" "$pkg/LICENSE" "$dest/"
cp "$pkg"/dist/images/*.png "$dest/images/"
echo "$got" >"$dest/VERSION"
echo "Leaflet $got copied into ${dest#"$root"/}"
