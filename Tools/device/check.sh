#!/usr/bin/env bash
# The GPU check (docs/scaling.md, "The device check"): run on a machine with an NVIDIA GPU and its
# own PyTorch 2.11.0 (CUDA 13), from the repository root, with the bundle `make device-bundle`
# makes here (.device-bundle: kinema-device-check, the torch shim, tcmalloc). In about 3 minutes
# on an H100/H200 it checks, and prints as JSON lines (also to $OUT/results.jsonl when OUT is set):
#   1. what the machine has, and that Kinema loads libtorch's CUDA library of the machine's PyTorch;
#   2. AMP parity: PyTorch runs Tools/fixtures/gen_amp.py on the GPU (fp32, bf16 autocast, fp16
#      autocast with GradScaler); Kinema's recipe replays it on the GPU (AMPReplay);
#   3. GPU against CPU: a tiny 3-D CNN trained 3 steps on both from the same weights;
#   4. timed training steps of R(2+1)D-18 (16×112², batch 32) and ViT-B VideoMAE (16×224², batch 8)
#      with bf16 autocast, Kinema and PyTorch eager alternating twice; the ratio Kinema/PyTorch;
#   5. a one-rank NCCL process group (libkinema_nccl.so, when the bundle has it): its collectives.
# Whatever it cannot check it says, with the reason, and goes on. Exit status: 0 when every check
# that ran passed.
#   usage: [OUT=DIR] [PYTHON=python3] [CHECK_BATCH=N] Tools/device/check.sh [STEPS]
#          (STEPS: timed steps per run, default 10)
set -uo pipefail
cd "$(dirname "$0")/../.."
steps=${1:-10}
out=${OUT:-$(mktemp -d)}
results=$out/results.jsonl
: > "$results"
bundle=.device-bundle
failed=0
say() { printf '== %s\n' "$*"; }
record() { tee -a "$results"; }
note() { printf '{"check": "%s", "skipped": "%s"}\n' "$1" "$2" | record; }

say "machine"
if command -v nvidia-smi >/dev/null; then
    nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader
else
    note gpu "no nvidia-smi here: no GPU to check; the CUDA checks below will say they cannot run"
fi
python=${PYTHON:-python3}
site=$("$python" -c 'import os, torch; print(os.path.dirname(os.path.dirname(torch.__file__)))' 2>/dev/null) || {
    note pytorch "no PyTorch for $python: Kinema takes libtorch (CPU and CUDA) from the machine's PyTorch"; exit 2; }
"$python" -c 'import torch; print("torch", torch.__version__, "cuda", torch.version.cuda, "gpus", torch.cuda.device_count())'
[ -f "$bundle/bin/kinema-device-check.xz" ] || { note bundle "no $bundle: run 'make device-bundle' on the build machine and carry it"; exit 2; }
mkdir -p "$out/bin"
check=$out/bin/kinema-device-check
"$python" -c 'import lzma, shutil, sys; shutil.copyfileobj(lzma.open(sys.argv[1]), open(sys.argv[2], "wb"))' \
    "$bundle/bin/kinema-device-check.xz" "$check" && chmod +x "$check"

# The whole libtorch is the machine's (the bundle's shim was built against the same 2.11.0 headers):
# its torch/lib first, then the NVIDIA libraries its pip install put beside it.
libraries=$site/torch/lib
for folder in "$site"/nvidia/*/lib; do [ -d "$folder" ] && libraries=$libraries:$folder; done
export LD_LIBRARY_PATH=$PWD/$bundle/lib:$libraries${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}
export KINEMA_TORCH_CUDA=$site/torch/lib/libtorch_cuda.so
device=cuda
"$check" environment | record
grep -q '"cuda_devices":0' "$results" && device=cpu && note cuda "libtorch_cuda did not load or sees no GPU (above): the checks run on the CPU instead"

say "AMP parity with PyTorch on $device"
fixtures=$out/fixtures
if KINEMA_FIXTURES_DIR=$fixtures AMP_DEVICE=$device "$python" Tools/fixtures/gen_amp.py; then
    "$check" amp "$fixtures/amp.safetensors" --device "$device" | record || failed=1
else
    note amp "PyTorch could not run Tools/fixtures/gen_amp.py (above)"; failed=1
fi

say "$device against CPU"
"$check" equality --device "$device" | record || failed=1

# The steps' sizes are the issue's; CHECK_BATCH (e.g. 1) shrinks both sides' batch to try the
# script on a CPU, where the full sizes take many minutes a step.
if [ "$device" = cuda ] || [ -n "${CHECK_BATCH:-}" ]; then
    say "timed steps on $device (Kinema, then PyTorch, twice)"
    batch=${CHECK_BATCH:+--batch $CHECK_BATCH}
    for round in 1 2; do
        for model in r2plus1d videomae; do
            "$check" step "$model" --device "$device" --precision bf16 --steps "$steps" $batch | record || failed=1
            "$python" Tools/device/torch_step.py "$model" --device "$device" --precision bf16 --steps "$steps" $batch | record || failed=1
        done
    done
else
    note steps "no GPU: the timed steps (R(2+1)D-18 at batch 32, ViT-B at batch 8) need one"
fi
# Several NCCL ranks need several GPUs; one rank checks the library, the group and its collectives.
if [ "$device" = cuda ]; then
    say "one-rank NCCL process group"
    "$check" nccl --device cuda | record || failed=1
else
    note nccl "no GPU: NCCL reduces CUDA tensors, so its one-rank group cannot run here"
fi

say "summary"
"$python" - "$results" <<'PY'
import json, sys, statistics
rows = [json.loads(line) for line in open(sys.argv[1]) if line.strip()]
for model in ("r2plus1d", "videomae"):
    times = {side: [r["median_ms"] for r in rows if r.get("check") == "step" and r.get("model") == model and r.get("side") == side]
             for side in ("kinema", "pytorch")}
    if all(times.values()):
        k, p = statistics.median(times["kinema"]), statistics.median(times["pytorch"])
        print(f"{model}: Kinema {k:.1f} ms, PyTorch {p:.1f} ms per step (medians of {len(times['kinema'])} runs); "
              f"Kinema/PyTorch {k / p:.3f} (target <= 1.0); rounds {times}")
for r in rows:
    if r.get("passed") is False or "skipped" in r:
        print("NOT PASSED" if r.get("passed") is False else "NOT CHECKED", json.dumps(r))
PY
exit $failed
