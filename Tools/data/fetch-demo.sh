#!/usr/bin/env bash
# Fetches the real footage `make demo` trains on (never committed; see ../shared/design/DATA.md):
#   videos/vtest.avi   opencv-doc 4.6.0 (Debian): a fixed camera over a campus path, many
#                      pedestrians walking; 768×576, 795 frames, 10 fps.
# Idempotent: the Debian package is downloaded once into a git-ignored cache.
#   Tools/data/fetch-demo.sh [DEST]     (default: .deps/data in the checkout)
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
dest=${1:-$root/.deps/data}
target=$dest/videos/vtest.avi
[ -f "$target" ] && exit 0

cache=$dest/.downloads/debs
mkdir -p "$cache" "$dest/videos"
printf '\033[1mfetch-demo:\033[0m %s\n' "downloading opencv-doc (apt-get download; 96 MB, once)"
(cd "$cache" && { apt-get download -q opencv-doc >/dev/null 2>&1 || { apt-get update -qq && apt-get download -q opencv-doc >/dev/null; }; })
deb=$(ls "$cache"/opencv-doc_*.deb | head -1)
echo "4b12681df35878207ac7097dc66184b2ae552e4bf4ddd2af04a0f03ed0b8682a  $deb" | sha256sum -c --quiet -
unpacked=$(mktemp -d)
trap 'rm -rf "$unpacked"' EXIT
dpkg-deb --fsys-tarfile "$deb" | tar -x -C "$unpacked" ./usr/share/doc/opencv-doc/examples/data/vtest.avi
mv "$unpacked/usr/share/doc/opencv-doc/examples/data/vtest.avi" "$target"
