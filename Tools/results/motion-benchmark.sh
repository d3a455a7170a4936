#!/usr/bin/env bash
# Reproduces docs/results.md: does MoSI pretraining on real photos help to recognise motion?
# The small-scale counterpart of MoSI Tables 1 and 3, on the motion benchmark of
# `kinema make-dataset` (12 motion classes, real photo cut-outs over real photos), at CPU size:
#   1. the benchmark (seed 0) and a MoSI pretraining on 28 real photos (configs/mosi/tiny_cpu.yaml);
#   2. for each seed: full fine-tuning, few-shot (K videos per class) and linear probing, each from
#      scratch and from the MoSI run (configs/finetune/tiny_cpu.yaml);
#   3. Tools/results/summarize.py writes the table (mean ± std over seeds) to docs/results.md.
# Runs that finished (evaluation.json present) are kept, so an interrupted script resumes.
#   make results                       (builds first)   SEEDS="0 1 2" FEW_SHOT=5 make results
set -euo pipefail
cd "$(dirname "$0")/../.."
kinema=${KINEMA:-.build/release/kinema}
seeds=${SEEDS:-"0 1 2"}
few_shot=${FEW_SHOT:-5}
# Steps: the config's 1000 for full fine-tuning; the few-shot set (K·12 videos) and the linear
# probe (a 12-way classifier on 64 features) converge in fewer.
short_steps=${SHORT_STEPS:-300}
out=${RESULTS:-runs/results}
data=data/motion-photos
mkdir -p "$out"

[ -f "$data/splits/classInd.txt" ] || "$kinema" make-dataset "$data" --seed 0
[ -f "$out/mosi/summary.json" ] || "$kinema" mosi pretrain --config configs/mosi/tiny_cpu.yaml \
    --set data.source=.deps/data/photos-demo --output "$out/mosi"

# finetune NAME ARGS...: one fine-tuning run into $out/NAME unless it already finished.
finetune() {
    local name=$1; shift
    [ -f "$out/$name/evaluation.json" ] && return 0
    rm -rf "${out:?}/$name"
    echo "=== $name"
    "$kinema" finetune --config configs/finetune/tiny_cpu.yaml --set data.videos=$data/videos \
        --set data.splits=$data/splits --output "$out/$name" "$@"
}

for seed in $seeds; do
    for init in scratch mosi; do
        pretrained=()
        [ "$init" = mosi ] && pretrained=(--pretrained "$out/mosi")
        finetune "full-$init-$seed" --seed "$seed" "${pretrained[@]}"
        finetune "fewshot$few_shot-$init-$seed" --seed "$seed" --few-shot "$few_shot" --set steps=$short_steps "${pretrained[@]}"
        finetune "linear-$init-$seed" --seed "$seed" --linear-probe --set steps=$short_steps "${pretrained[@]}"
    done
done
python3 Tools/results/summarize.py "$out" --few-shot "$few_shot" --seeds "$seeds" > docs/results.md
echo "wrote docs/results.md"
