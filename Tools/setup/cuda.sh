#!/usr/bin/env bash
# On a machine with an NVIDIA GPU: gathers libtorch's CUDA libraries and the NVIDIA libraries they
# need, of the same torch build as the CPU libraries in $DEPS/libtorch/lib, into
# $DEPS/libtorch/cuda, where Kinema loads them from when a command asks for --device cuda
# (Engine.loadCUDA: every library of that folder is loaded first, then libtorch_cuda.so, which
# carries no RUNPATH of its own). One build of Kinema serves CPU and GPU machines.
#
# Where the libraries come from, in order:
#   1. the machine's own PyTorch (python3, or $KINEMA_CUDA_FROM naming another interpreter), when
#      its libtorch_cpu.so is byte for byte the one Kinema links: then its CUDA libraries are the
#      same build, and they are linked, not copied;
#   2. PyPI: the torch==$TORCH_VERSION wheel and the nvidia-* wheels it pins (about 3 GB).
# It also writes $DEPS/libtorch/cuda/nccl.cflags, the include flags that build the NCCL process group
# (Shim/nccl, libkinema_nccl.so): the CUDA and NCCL headers of those same nvidia-* wheels, and the
# two header-only wheels of CUDA 13.0 that they include but torch does not pin (nvidia-cuda-crt,
# nvidia-cuda-cccl, 3 MB). Without them (no PyPI) Kinema trains on GPUs with Gloo's collectives.
# Usage: Tools/setup/cuda.sh DEPS_DIR TORCH_VERSION    (called by setup.sh; idempotent)
set -euo pipefail

deps=$1
torch_version=$2
libtorch=$deps/libtorch
cuda=$libtorch/cuda
stamp=$cuda/.kinema-installed
CUDA_CRT_VERSION=13.0.88    # nvidia-cuda-crt: crt/host_config.h, included by cuda_runtime.h
CUDA_CCCL_VERSION=13.0.85   # nvidia-cuda-cccl: nv/target, included by cuda_fp16.h
say() { printf '\033[1msetup (CUDA):\033[0m %s\n' "$*"; }

[ -f "$stamp" ] && [ "$(cat "$stamp")" = "torch=$torch_version" ] && exit 0

python=${KINEMA_CUDA_FROM:-python3}
site=$("$python" -c 'import os, torch; print(os.path.dirname(os.path.dirname(torch.__file__)))' 2>/dev/null || true)
if [ -n "$site" ] && cmp -s "$site/torch/lib/libtorch_cpu.so" "$libtorch/lib/libtorch_cpu.so"; then
    say "using the CUDA libraries of $("$python" -c 'import torch; print("torch", torch.__version__)') in $site (the same build)"
else
    [ -n "$site" ] && say "the PyTorch in $site is another build than torch==$torch_version from PyPI; not using it"
    say "fetching the CUDA libraries of torch==$torch_version and the NVIDIA wheels it pins (PyPI, about 3 GB)"
    site=$deps/cuda-site
    rm -rf "$deps/cuda-wheels" "$site"
    mkdir -p "$deps/cuda-wheels" "$site"
    python3 -m pip download -q --only-binary=:all: -d "$deps/cuda-wheels" "torch==$torch_version"
    unzip -q -o "$deps/cuda-wheels"/torch-"$torch_version"-*.whl 'torch/lib/*' -d "$site"
    for wheel in "$deps/cuda-wheels"/nvidia_*.whl; do unzip -q -o "$wheel" 'nvidia/*' -d "$site"; done
    rm -rf "$deps/cuda-wheels"
fi

rm -rf "$cuda"
mkdir -p "$cuda"
for name in libtorch_cuda.so libc10_cuda.so libtorch_nvshmem.so libtorch_cuda_linalg.so libcaffe2_nvrtc.so; do
    [ -e "$site/torch/lib/$name" ] && ln -s "$site/torch/lib/$name" "$cuda/$name"
done
# The NVIDIA runtime, cuBLAS, cuDNN, cuFFT, cuSPARSE(Lt), NCCL, NVSHMEM, NVRTC …; not the
# profiling and checkpointing tools that share their folders.
find "$site/nvidia" -path '*/lib/lib*.so*' \
    ! -name 'libnvperf*' ! -name 'libpcsamplingutil*' ! -name 'libcheckpoint*' ! -name 'libnvblas*' \
    -exec ln -sf {} "$cuda/" \;
# libtorch_cpu already loads the CUDA runtime and CUPTI from lib/; a second copy must not be loaded.
for lib in "$libtorch"/lib/lib*.so*; do rm -f "$cuda/$(basename "$lib")"; done
[ -e "$cuda/libtorch_cuda.so" ] || { say "no libtorch_cuda.so found in $site/torch/lib"; exit 1; }

# The headers of the NCCL process group's library (built by `make shims` when nccl.cflags exists).
headers=$deps/cuda-headers
if [ -e "$site/nvidia/cu13/include/cuda_runtime_api.h" ] && [ -e "$site/nvidia/nccl/include/nccl.h" ]; then
    if [ ! -e "$headers/nvidia/cu13/include/crt/host_config.h" ] || [ ! -d "$headers/nvidia/cu13/include/nv" ]; then
        rm -rf "$headers" "$deps/header-wheels"
        python3 -m pip download -q --no-deps -d "$deps/header-wheels" \
            "nvidia-cuda-crt==$CUDA_CRT_VERSION" "nvidia-cuda-cccl==$CUDA_CCCL_VERSION" 2>/dev/null \
            && for wheel in "$deps/header-wheels"/*.whl; do unzip -q -o "$wheel" 'nvidia/*' -d "$headers"; done
        rm -rf "$deps/header-wheels"
    fi
    if [ -e "$headers/nvidia/cu13/include/crt/host_config.h" ]; then
        echo "-I$site/nvidia/cu13/include -I$headers/nvidia/cu13/include -I$site/nvidia/nccl/include" > "$cuda/nccl.cflags"
    else
        say "could not fetch nvidia-cuda-crt/-cccl (PyPI): no NCCL process group; GPUs will use Gloo's collectives"
    fi
else
    say "no CUDA/NCCL headers in $site/nvidia: no NCCL process group; GPUs will use Gloo's collectives"
fi
echo "torch=$torch_version" > "$stamp"
say "ready: $(ls "$cuda" | wc -l) libraries in $cuda"
