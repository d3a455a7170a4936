#!/usr/bin/env bash
# Fetches the real images `kinema make-dataset` builds its motion benchmark from (never committed;
# see docs/data.md; licences in NOTICE). Idempotent: each package is downloaded once into the git-ignored
# cache that fetch.sh shares, only the files used are unpacked, and a second run takes well under a
# second.
#   Tools/data/fetch-benchmark.sh [DEST]     (default: .deps/data in the checkout)
# Layout written (relative to DEST; `kinema make-dataset --assets DEST/benchmark`):
#   benchmark/cutouts/<folder>-<name>.png     tuxpaint-stamps-default 2022.06.04 (Debian, GPL-2): the
#                                             181 photo cut-outs with alpha mattes of the animal, food
#                                             and flower folders (no cartoons)
#   benchmark/backgrounds/<Name>.jpg          plasma-workspace-wallpapers 5.27.5 (Debian, LGPL-3): the
#                                             11 wallpapers that are photographs, at 2560×1600
#   benchmark/backgrounds/skimage-<name>.png  the scikit-image photos fetch.sh places (CC0/public domain)
#   benchmark/fashion-mnist/{train,t10k}-images-idx3-ubyte
#                                             dataset-fashion-mnist (Debian, MIT): 60 000 + 10 000
#                                             28×28 product photos, IDX, uncompressed
# Downloads: 161 + 94 + 31 MB of .deb files (once).
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
dest=${1:-$root/.deps/data}
debs=$dest/.downloads/debs
out=$dest/benchmark
say() { printf '\033[1mfetch-benchmark:\033[0m %s\n' "$*"; }

# deb PACKAGE SHA256: the path of the package's .deb, downloaded once (apt-get download needs no
# root; `apt-get update` runs only when the download fails) and checked against its sha256.
deb() {
    local pkg=$1 sum=$2 file
    file=$(ls "$debs/${pkg}"_*.deb 2>/dev/null | head -1 || true)
    if [ -z "$file" ]; then
        say "downloading $pkg (apt-get download, once)" >&2
        mkdir -p "$debs"
        (cd "$debs" && { apt-get download -q "$pkg" >/dev/null 2>&1 || { apt-get update -qq && apt-get download -q "$pkg" >/dev/null; }; })
        file=$(ls "$debs/${pkg}"_*.deb | head -1)
    fi
    echo "$sum  $file" | sha256sum -c --quiet - >&2
    echo "$file"
}

# unpack DEB DIR PATTERN...: extracts the members matching the patterns (`*` stops at `/`) into DIR.
unpack() {
    local file=$1 dir=$2; shift 2
    mkdir -p "$dir"
    dpkg-deb --fsys-tarfile "$file" | tar -x -C "$dir" --wildcards --no-wildcards-match-slash "$@"
}

# Photo cut-outs: one folder per category; the cartoon sub-folders are left out.
stamp_folders=(animals/birds animals/mammals animals/mammals/bovines animals/mammals/rodents animals/mammals/aquatic
    animals/mammals/equines animals/mammals/deer animals/mammals/cats animals/fish animals/insects
    food/fruit food/vegetables food/nuts plants/flowers)
if [ ! -f "$out/cutouts/.complete" ]; then
    file=$(deb tuxpaint-stamps-default 6db6c1bfc870a47f1499d6203b083522eacb57c5f9c87d468f2e92eb6d9d5f34)
    tmp=$(mktemp -d)
    patterns=()
    for folder in "${stamp_folders[@]}"; do patterns+=("./usr/share/tuxpaint/stamps/$folder/*.png"); done
    unpack "$file" "$tmp" "${patterns[@]}"
    mkdir -p "$out/cutouts"
    for folder in "${stamp_folders[@]}"; do
        for png in "$tmp/usr/share/tuxpaint/stamps/$folder"/*.png; do
            cp "$png" "$out/cutouts/$(basename "$folder")-$(basename "$png")"
        done
    done
    rm -rf "$tmp"
    touch "$out/cutouts/.complete"
fi

# Backgrounds: the wallpapers that are photographs (the others are drawings or renderings).
wallpapers=(BytheWater ColdRipple ColorfulCups DarkestHour EveningGlow FallenLeaf Grey Kite OneStandsOut Path summer_1am)
if [ ! -f "$out/backgrounds/.complete" ]; then
    file=$(deb plasma-workspace-wallpapers 32cd18b71c8c938a18b3b351f217c02ac590e323caa3cf322fbb875ce8892f8b)
    tmp=$(mktemp -d)
    # Every smaller size in the package is a link to the 2560×1600 file.
    patterns=()
    for name in "${wallpapers[@]}"; do patterns+=("./usr/share/wallpapers/$name/contents/images/2560x1600.jpg"); done
    unpack "$file" "$tmp" "${patterns[@]}"
    mkdir -p "$out/backgrounds"
    for name in "${wallpapers[@]}"; do
        cp "$tmp/usr/share/wallpapers/$name/contents/images/2560x1600.jpg" "$out/backgrounds/$name.jpg"
    done
    rm -rf "$tmp"
    "$root/Tools/data/fetch.sh" "$dest" >/dev/null
    for photo in astronaut camera chelsea coffee; do
        cp "$dest/photos/$photo.png" "$out/backgrounds/skimage-$photo.png"
    done
    touch "$out/backgrounds/.complete"
fi

if [ ! -f "$out/fashion-mnist/.complete" ]; then
    file=$(deb dataset-fashion-mnist 39e172fe32dd318ebb3e512220c3beea2fa47d7e20bab348fb4e0922d6beefc0)
    tmp=$(mktemp -d)
    unpack "$file" "$tmp" './usr/share/datasets/fashion-mnist/*-images-idx3-ubyte.gz'
    mkdir -p "$out/fashion-mnist"
    for part in train t10k; do
        gunzip -c "$tmp/usr/share/datasets/fashion-mnist/$part-images-idx3-ubyte.gz" > "$out/fashion-mnist/$part-images-idx3-ubyte"
    done
    rm -rf "$tmp"
    touch "$out/fashion-mnist/.complete"
fi

say "benchmark assets ready in $out ($(ls "$out/cutouts" | wc -l) cut-outs, $(ls "$out/backgrounds" | wc -l) backgrounds)"
