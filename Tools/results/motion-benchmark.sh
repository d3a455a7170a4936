#!/usr/bin/env bash
# Reproduces docs/results.md: does MoSI pretraining help to recognise motion, and is it the motion
# it learned that helps? The small-scale counterpart of MoSI Tables 1 and 3 and Fig. 4 on the motion
# benchmark of `kinema make-dataset` (version 2), at CPU size (r3d_18_tiny, 8 × 64² clips):
#   1. the benchmark (seed 0, the one reported) and an independent draw of it (seed 1), on which
#      scratch training chooses its learning rate — the reported test set never chooses anything;
#   2. pretraining on the benchmark's train list only (one frame per video per epoch, as MoSI
#      pretrains on the target dataset's training split): MoSI with the static mask and without it
#      (two independent runs each) and the label-noise control (labels redrawn uniformly per clip,
#      independent of the motion: the same pipeline without anything to learn);
#   3. the scratch learning-rate sweep on the seed-1 benchmark (SWEEP_LRS × SWEEP_SEEDS);
#   4. for each initialisation (scratch at the chosen rate, MoSI masked, MoSI unmasked, label
#      noise): full fine-tuning and the linear probe for SEEDS, few-shot fine-tuning for FEW_SEEDS;
#      fine-tuning seed s starts from pretraining run s mod 2;
#   5. the benchmark's controls: the appearance control (single frames repeated) and the
#      frame-order control (shuffled frames), from scratch for FEW_SEEDS, the latter also tested on
#      every clip of the seed-1 draw;
#   6. the Grad-CAM localisation score of every pretrained backbone on the test clips;
#   7. Tools/results/summarize.py writes docs/results.md (and its pictures under docs/results/).
# Every step that finished (its evaluation.json, summary.json or score file present) is kept, so an
# interrupted script resumes where it stopped; a half-finished run is started again.
#   make results          SEEDS="0 1 2 3 4" FEW_SEEDS="0 1 2" SWEEP_LRS="0.0003 0.001 0.003" make results
set -euo pipefail
cd "$(dirname "$0")/../.."
kinema=${KINEMA:-.build/release/kinema}
seeds=${SEEDS:-"0 1 2 3 4"}
few_seeds=${FEW_SEEDS:-"0 1 2"}
few_shot=${FEW_SHOT:-5}
sweep_lrs=${SWEEP_LRS:-"0.0003 0.001 0.003"}
sweep_seeds=${SWEEP_SEEDS:-"0 1"}
# The few-shot set (K videos per class) and the linear probe (a classifier on 64 features) converge
# in fewer steps than full fine-tuning (the config's `steps`).
short_steps=${SHORT_STEPS:-300}
out=${RESULTS:-runs/results}
data=data/motion-photos-v2
sweep_data=data/motion-photos-v2-seed1
finetune_config=configs/finetune/tiny_cpu_v2.yaml
mkdir -p "$out"

# 1. The benchmarks.
[ -f "$data/splits/classInd.txt" ] || "$kinema" make-dataset "$data" --seed 0
[ -f "$sweep_data/splits/classInd.txt" ] || "$kinema" make-dataset "$sweep_data" --seed 1

# 2. Pretraining on the train list of split 1 only.
# pretrain NAME CONFIG SEED ARGS...: one MoSI run into $out/NAME unless it already finished.
pretrain() {
    local name=$1 config=$2 seed=$3; shift 3
    [ -f "$out/$name/summary.json" ] && return 0
    rm -rf "${out:?}/$name"
    echo "=== $name"
    "$kinema" mosi pretrain --config "$config" --seed "$seed" --output "$out/$name" \
        --set data.format=ucf101 --set data.source="$data/videos" --set data.splits="$data/splits" --set data.split=1 "$@"
}
for p in 0 1; do
    pretrain "mosi-masked-$p" configs/mosi/tiny_cpu.yaml "$p"
    pretrain "mosi-unmasked-$p" configs/mosi/tiny_cpu_unmasked.yaml "$p"
done
pretrain "noise-0" configs/mosi/tiny_cpu.yaml 0 --set generator.labels=random

# finetune NAME BENCHMARK ARGS...: one fine-tuning run into $out/NAME unless it already finished.
finetune() {
    local name=$1 bench=$2; shift 2
    [ -f "$out/$name/evaluation.json" ] && return 0
    rm -rf "${out:?}/$name"
    echo "=== $name"
    "$kinema" finetune --config "$finetune_config" --set data.videos="$bench/videos" \
        --set data.splits="$bench/splits" --output "$out/$name" "$@"
}

# 3. Scratch's learning rate, chosen on the seed-1 benchmark by mean test top-1 over the sweep seeds.
for lr in $sweep_lrs; do
    for seed in $sweep_seeds; do
        finetune "sweep-scratch-lr$lr-$seed" "$sweep_data" --seed "$seed" --set optim.learningRate="$lr"
    done
done
scratch_lr=$(python3 Tools/results/summarize.py "$out" --chosen-learning-rate --sweep-lrs "$sweep_lrs" --sweep-seeds "$sweep_seeds")
echo "scratch learning rate: $scratch_lr (chosen on the seed-1 benchmark)"

# 4. Fine-tuning, few-shot and linear probe from every initialisation.
# init_args INIT SEED: the arguments that start a fine-tuning run from INIT.
init_args() {
    case $1 in
        scratch) echo "--set optim.learningRate=$scratch_lr" ;;
        masked) echo "--pretrained $out/mosi-masked-$(($2 % 2))" ;;
        unmasked) echo "--pretrained $out/mosi-unmasked-$(($2 % 2))" ;;
        noise) echo "--pretrained $out/noise-0" ;;
    esac
}
for init in scratch masked unmasked noise; do
    for seed in $seeds; do
        # shellcheck disable=SC2046  # init_args yields separate words on purpose
        finetune "full-$init-$seed" "$data" --seed "$seed" $(init_args "$init" "$seed")
        finetune "linear-$init-$seed" "$data" --seed "$seed" --linear-probe --set steps="$short_steps" $(init_args "$init" "$seed")
    done
    for seed in $few_seeds; do
        # shellcheck disable=SC2046
        finetune "fewshot$few_shot-$init-$seed" "$data" --seed "$seed" --few-shot "$few_shot" --set steps="$short_steps" $(init_args "$init" "$seed")
    done
done

# 5. The benchmark's controls, trained like the scratch baseline.
for seed in $few_seeds; do
    finetune "control-singleframe-$seed" "$data" --seed "$seed" --set data.singleFrame=true $(init_args scratch "$seed")
    finetune "control-shuffled-$seed" "$data" --seed "$seed" --set data.frameOrder=shuffled $(init_args scratch "$seed")
done

# The frame-order control decides each clip of a time-reversed pair; the reported draw has only 9 test
# clips a class, so its models are also tested on every clip of the independent seed-1 draw (30 a
# class), none of which they trained on.
fresh_splits="$sweep_data/splits-all"
if [ ! -f "$fresh_splits/testlist01.txt" ]; then
    mkdir -p "$fresh_splits"
    cp "$sweep_data/splits/classInd.txt" "$sweep_data/splits/trainlist01.txt" "$fresh_splits/"
    { cat "$sweep_data/splits/testlist01.txt"; cut -d' ' -f1 "$sweep_data/splits/trainlist01.txt"; } > "$fresh_splits/testlist01.txt.partial"
    mv "$fresh_splits/testlist01.txt.partial" "$fresh_splits/testlist01.txt"
fi
for seed in $few_seeds; do
    [ -f "$out/control-shuffled-$seed/seed1-all/evaluation.json" ] && continue
    echo "=== control-shuffled-$seed on every clip of the seed-1 draw"
    "$kinema" evaluate "$out/control-shuffled-$seed" --set data.videos="$sweep_data/videos" \
        --set data.splits="$fresh_splits" --output "$out/control-shuffled-$seed/seed1-all"
done

# 6. Where each pretrained backbone looks: Grad-CAM of its most probable motion (every pretext class
# but the still one), its mass on the moving objects, the still objects and the background of the
# test clips (MoSI Fig. 4, measured).
for run in mosi-masked-0 mosi-masked-1 mosi-unmasked-0 mosi-unmasked-1 noise-0; do
    [ -f "$out/localization-$run.json" ] && continue
    echo "=== localization $run"
    "$kinema" localization "$out/$run" "$data" --target motion --output "$out/localization-$run.json.partial"
    mv "$out/localization-$run.json.partial" "$out/localization-$run.json"
done

# 7. The page.
python3 Tools/results/summarize.py "$out" --few-shot "$few_shot" --seeds "$seeds" --few-seeds "$few_seeds" \
    --sweep-lrs "$sweep_lrs" --sweep-seeds "$sweep_seeds" --benchmark "$data" --pictures docs/results > docs/results.md.partial
mv docs/results.md.partial docs/results.md
echo "wrote docs/results.md"
