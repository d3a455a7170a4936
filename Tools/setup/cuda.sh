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
# Usage: Tools/setup/cuda.sh DEPS_DIR TORCH_VERSION    (called by setup.sh; idempotent)
set -euo pipefail

deps=$1
torch_version=$2
libtorch=$deps/libtorch
cuda=$libtorch/cuda
stamp=$cuda/.kinema-installed
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
echo "torch=$torch_version" > "$stamp"
say "ready: $(ls "$cuda" | wc -l) libraries in $cuda"
