#!/usr/bin/env bash
# Installs Kinema's shims and the pkg-config files a package that depends on Kinema needs, so that it
# builds and runs with PKG_CONFIG_PATH=PREFIX/lib/pkgconfig and no other flag
# (docs/using-kinema-in-your-package.md):
#   PREFIX/lib/               libkinema_torch.so, libkinema_cv.so (libkinema_nccl.so where built)
#   PREFIX/lib/kinema-link/   a linker script for each of the first two (below)
#   PREFIX/include/kinema/    the shims' C headers
#   PREFIX/lib/pkgconfig/     kinema-torch.pc, kinema-cv.pc
# libtorch is not copied (about 1 GB): the torch shim finds it through its own run path, so the
# `make setup` folder it was built against must stay where it is.
#
# Why linker scripts instead of rpaths: SwiftPM keeps only -I/-F (Cflags) and -L/-l/-F/-framework/-w
# (Libs) from a .pc file and drops anything else, -Wl,-rpath included ("prohibited flag(s)"). So
# -lkinema_torch finds kinema-link/libkinema_torch.so, a script naming the installed library by its
# absolute path; the shims have no SONAME, so the linker records that path itself as the executable's
# DT_NEEDED, which the loader opens without a run path. The executable links only the shims (no
# -ltorch_cpu): the Swift modules call nothing but the shims' C functions.
# --no-tcmalloc leaves tcmalloc out (the sanitizer builds: ASan and TSan replace malloc themselves).
# Usage: Tools/install/install.sh PREFIX SHIM_DIR DEPS_DIR [--no-tcmalloc]
set -euo pipefail

prefix=$1 shims=$2 deps=$3 tcmalloc=${4:-}
[ "$tcmalloc" = "" ] || [ "$tcmalloc" = --no-tcmalloc ] || { echo "install: unknown option $tcmalloc" >&2; exit 2; }
root=$(cd "$(dirname "$0")/../.." && pwd)
mkdir -p "$prefix" && prefix=$(cd "$prefix" && pwd)
lib=$prefix/lib link=$prefix/lib/kinema-link pc=$prefix/lib/pkgconfig inc=$prefix/include/kinema
torch_version=$(PKG_CONFIG_PATH=$deps/pkgconfig pkg-config --modversion kinema-libtorch)

mkdir -p "$lib" "$link" "$pc" "$inc"
cp "$root/Sources/CKinemaTorch/kinema_torch.h" "$root/Sources/CKinemaCV/kinema_cv.h" "$inc/"
for shim in kinema_torch kinema_cv; do
    cp "$shims/lib$shim.so" "$lib/"
    echo "INPUT($lib/lib$shim.so)" > "$link/lib$shim.so"
done
# Built on GPU machines only; the torch shim opens it from its own folder, so nothing links it.
[ ! -f "$shims/libkinema_nccl.so" ] || cp "$shims/libkinema_nccl.so" "$lib/"

# tcmalloc first on the line, so that it, not glibc, provides malloc (as in setup.sh's kinema-torch.pc);
# Debian's library has a SONAME and lives on the loader's default path.
malloc_libs=""
if [ -z "$tcmalloc" ]; then
    cp -P "$deps/lib/libtcmalloc_minimal.so" "$link/"   # a link to Debian's library
    malloc_libs="-ltcmalloc_minimal "
else
    rm -f "$link/libtcmalloc_minimal.so"
fi

cat > "$pc/kinema-torch.pc" <<PC
prefix=$prefix
Name: kinema-torch
Description: Kinema's C shim over libtorch $torch_version (installed; libtorch in $(cd "$deps/libtorch" && pwd))
Version: $torch_version
Cflags: -I\${prefix}/include/kinema
Libs: -L\${prefix}/lib/kinema-link ${malloc_libs}-lkinema_torch
PC
cat > "$pc/kinema-cv.pc" <<PC
prefix=$prefix
Name: kinema-cv
Description: Kinema's C shim over OpenCV $(pkg-config --modversion opencv4) (installed)
Version: $(pkg-config --modversion opencv4)
Cflags: -I\${prefix}/include/kinema
Libs: -L\${prefix}/lib/kinema-link -lkinema_cv
PC
echo "install: Kinema's shims and pkg-config files in $prefix (PKG_CONFIG_PATH=$pc)"
