#!/usr/bin/env bash
# Installs what Kinema's build needs, and nothing else (idempotent; a second run takes seconds):
#   - OpenCV 4 development packages, tcmalloc and Gloo's headers from Debian (apt-get);
#   - libtorch from the PyPI wheel torch==$TORCH_VERSION, unpacked with --no-deps into $DEPS/libtorch,
#     plus the two CUDA runtime libraries that libtorch_cpu links against;
#   - on a machine with an NVIDIA GPU (nvidia-smi present, or KINEMA_CUDA=1), libtorch's CUDA
#     libraries and the NVIDIA libraries of the same build (Tools/setup/cuda.sh);
#   - pkg-config files for both engines, so Package.swift needs no unsafeFlags and no absolute paths.
# Usage: Tools/setup/setup.sh [DEPS_DIR]   (default: .deps in the checkout)
set -euo pipefail

TORCH_VERSION=2.11.0
CUDA_RUNTIME_VERSION=13.0.96   # nvidia-cuda-runtime, as pinned by torch 2.11.0's cuda-toolkit 13.0.2
CUDA_CUPTI_VERSION=13.0.85     # nvidia-cuda-cupti, likewise

root=$(cd "$(dirname "$0")/../.." && pwd)
deps=${1:-$root/.deps}
mkdir -p "$deps"
deps=$(cd "$deps" && pwd)
libtorch=$deps/libtorch
stamp=$libtorch/.kinema-installed
want="torch=$TORCH_VERSION cudart=$CUDA_RUNTIME_VERSION cupti=$CUDA_CUPTI_VERSION"

say() { printf '\033[1msetup:\033[0m %s\n' "$*"; }

# --- OpenCV 4 and tcmalloc from Debian --------------------------------------------------------
# tcmalloc: libtorch allocates and frees large buffers every step; measured on this machine it cuts
# PyTorch's conv-net training step by 14-30 %, so Kinema links it (see kinema-torch.pc below).
# Gloo's headers: the shim's data-parallel collectives use libtorch's ProcessGroupGloo, whose header
# includes <gloo/...>, which the torch wheel does not ship (the code itself is in libtorch_cpu).
tcmalloc=/usr/lib/x86_64-linux-gnu/libtcmalloc_minimal.so.4
if ! pkg-config --exists opencv4 2>/dev/null || [ ! -e "$tcmalloc" ] || [ ! -e /usr/include/gloo/config.h ]; then
    say "installing OpenCV 4 development packages, tcmalloc and Gloo's headers (apt-get)"
    sudo_cmd=""; [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
    $sudo_cmd apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends \
        libopencv-dev libtcmalloc-minimal4 libgloo-dev pkg-config >/dev/null
fi
mkdir -p "$deps/lib"
ln -sf "$tcmalloc" "$deps/lib/libtcmalloc_minimal.so"

# --- libtorch from the PyPI wheel --------------------------------------------------------------
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
    say "fetching libtorch $TORCH_VERSION from PyPI (the torch wheel, --no-deps)"
    rm -rf "$libtorch" "$deps/wheels"
    mkdir -p "$deps/wheels" "$libtorch/lib"
    python3 -m pip download -q --no-deps -d "$deps/wheels" "torch==$TORCH_VERSION" \
        "nvidia-cuda-runtime==$CUDA_RUNTIME_VERSION" "nvidia-cuda-cupti==$CUDA_CUPTI_VERSION"
    say "unpacking headers and CPU libraries"
    unzip -q -o "$deps/wheels"/torch-"$TORCH_VERSION"-*.whl 'torch/include/*' 'torch/lib/libc10.so' \
        'torch/lib/libtorch_cpu.so' 'torch/lib/libgomp.so.1' -d "$deps/wheels/x"
    mv "$deps/wheels/x/torch/include" "$libtorch/include"
    mv "$deps/wheels/x/torch/lib/"* "$libtorch/lib/"
    for w in "$deps/wheels"/nvidia_cuda_runtime-*.whl "$deps/wheels"/nvidia_cuda_cupti-*.whl; do
        unzip -q -o "$w" 'nvidia/*/lib/libcu*.so.13' -d "$deps/wheels/x"
    done
    find "$deps/wheels/x/nvidia" -name 'lib*.so.*' -exec mv {} "$libtorch/lib/" \;
    rm -rf "$deps/wheels"
    echo "$want" > "$stamp"
fi

# --- CUDA, where there is a GPU ---------------------------------------------------------------
if [ "${KINEMA_CUDA:-}" = 1 ] || { [ "${KINEMA_CUDA:-}" != 0 ] && command -v nvidia-smi >/dev/null 2>&1; }; then
    "$root/Tools/setup/cuda.sh" "$deps" "$TORCH_VERSION"
fi

# --- pkg-config files (paths are this machine's; the files are never committed) ---------------
pc=$deps/pkgconfig
mkdir -p "$pc"
cat > "$pc/kinema-libtorch.pc" <<PC
prefix=$libtorch
Name: kinema-libtorch
Description: libtorch $TORCH_VERSION (CPU libraries of the PyPI wheel), as used by Kinema's shim
Version: $TORCH_VERSION
Cflags: -I\${prefix}/include -I\${prefix}/include/torch/csrc/api/include
Libs: -L\${prefix}/lib -ltorch_cpu -lc10
PC
# tcmalloc comes first so that it, not glibc, provides malloc to the executables that link the shim.
cat > "$pc/kinema-torch.pc" <<PC
shimdir=$root/.build-shim
Name: kinema-torch
Description: Kinema's C shim over libtorch
Version: $TORCH_VERSION
Requires: kinema-libtorch
Libs: -L$deps/lib -ltcmalloc_minimal -L\${shimdir} -lkinema_torch
PC
cat > "$pc/kinema-cv.pc" <<PC
shimdir=$root/.build-shim
Name: kinema-cv
Description: Kinema's C shim over OpenCV 4
Version: $(pkg-config --modversion opencv4)
Libs: -L\${shimdir} -lkinema_cv
PC
say "ready: libtorch $TORCH_VERSION in $libtorch, OpenCV $(pkg-config --modversion opencv4)"
