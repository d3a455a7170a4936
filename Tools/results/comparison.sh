#!/usr/bin/env bash
# Reproduces docs/results.md: MoSI, VideoMAE, MME and CGM-Net side by side under one protocol, with
# tuned scratch baselines and the benchmark's controls, at CPU scale. The benchmark is
# `kinema make-dataset` version 2 (18 motion classes; seed 0 reported, seed 1 an independent draw
# that chooses the scratch learning rates); every method pretrains on its train list only (labels
# unused) and fine-tunes on the same clips (8 × 64², stride 2):
#   CNN rows (r3d_18_tiny, R3D-18 at width 8): scratch (tuned), MoSI (static mask), CGM-Net's
#     video encoder, and MoSI's label-noise control;
#   ViT rows (vit_s_16_tiny, 4 blocks of width 192): scratch (tuned), VideoMAE (pixels), MME
#     (trajectories + HOG).
# Steps:
#   1. the benchmark (seed 0) and its independent draw (seed 1);
#   2. one pretraining run per method (configs/mosi/tiny_cpu.yaml, configs/results/*.yaml);
#   3. scratch learning-rate sweeps on the seed-1 draw, CNN and ViT (SWEEP_LRS × SWEEP_SEEDS);
#   4. for every initialisation: full fine-tuning and the linear probe for SEEDS, few-shot
#      (FEW_SHOT videos per class) for FEW_SEEDS; the label-noise control for NOISE_SEEDS;
#   5. the benchmark's controls (one frame repeated; frames shuffled), from scratch for FEW_SEEDS,
#      the latter also tested on every clip of the seed-1 draw;
#   6. motion quality: CGM-Net's motion maps against DIS, Farnebäck and TV-L1 on the benchmark's
#      test clips and on held-out real videos (`kinema cgm evaluate`);
#   7. Tools/results/comparison.py writes docs/results.md.
# Sizes are chosen for the budget (under 100 minutes on 2 cores); what they cut is listed on the
# page. Every step that finished (its evaluation.json, summary.json or table present) is kept, so an
# interrupted script resumes where it stopped; a half-finished run is started again (runs.sh).
#   make results          SEEDS="0 1 2 3 4" FEW_SEEDS="0 1 2" make results
# INITS="scratch-vit mme" runs only those initialisations' pretraining, sweep and protocols (and,
# with cgm, its motion quality on the benchmark) and writes no page: the references of an ablation
# (Tools/results/ablations.sh) without the rest of the comparison.
set -euo pipefail
cd "$(dirname "$0")/../.."
kinema=${KINEMA:-.build/release/kinema}
seeds=${SEEDS:-"0 1 2 3 4"}
few_seeds=${FEW_SEEDS-"0 1 2"}
noise_seeds=${NOISE_SEEDS-"0 1 2"}
few_shot=${FEW_SHOT:-5}
sweep_lrs=${SWEEP_LRS:-"0.0003 0.001 0.003"}
sweep_seeds=${SWEEP_SEEDS:-"0 1"}
# Full fine-tuning steps of each family (a ViT step costs about 1.5 CNN steps here); the linear
# probe and few-shot sets converge in fewer.
cnn_steps=${CNN_STEPS:-500}
vit_steps=${VIT_STEPS:-400}
short_steps=${SHORT_STEPS:-200}
out=${RESULTS:-runs/results}
real_videos=${REAL_VIDEOS:-.deps/data/videos}
data=data/motion-photos-v2
sweep_data=data/motion-photos-v2-seed1
page=${PAGE:-docs/results.md}
all_inits="scratch-cnn mosi cgm scratch-vit videomae mme"
inits=${INITS:-$all_inits}
# wanted INIT: whether this invocation runs INIT (every initialisation unless INITS names some).
wanted() { case " $inits " in *" $1 "*) return 0 ;; *) return 1 ;; esac; }
whole() { [ "$inits" = "$all_inits" ]; }
mkdir -p "$out"
started=$(date +%s)

# 1. The benchmarks.
[ -f "$data/splits/classInd.txt" ] || "$kinema" make-dataset "$data" --seed 0
[ -f "$sweep_data/splits/classInd.txt" ] || "$kinema" make-dataset "$sweep_data" --seed 1

# shellcheck source=Tools/results/runs.sh
source Tools/results/runs.sh

# 2. Pretraining on the train list of split 1 (the configs name it), one run per method.
mosi_data=(--set data.format=ucf101 --set data.source="$data/videos" --set data.splits="$data/splits" --set data.split=1)
! wanted mosi || pretrain mosi mosi --config configs/mosi/tiny_cpu.yaml "${mosi_data[@]}"
! wanted mosi || pretrain noise mosi --config configs/mosi/tiny_cpu.yaml "${mosi_data[@]}" --set generator.labels=random
! wanted videomae || pretrain videomae videomae --config configs/results/videomae.yaml
! wanted mme || pretrain mme mme --config configs/results/mme.yaml
! wanted cgm || pretrain cgm cgm --config configs/results/cgm.yaml

# 3. Each scratch baseline's learning rate, chosen on the seed-1 draw by mean test top-1 over the
# sweep seeds; pretrained runs keep their recipe's rate. The reported test set chooses nothing.
for family in cnn vit; do
    wanted "scratch-$family" || continue
    for lr in $sweep_lrs; do
        for seed in $sweep_seeds; do
            finetune "sweep-$family-lr$lr-$seed" "$family" "$sweep_data" --seed "$seed" --set optim.learningRate="$lr"
        done
    done
done
chosen() { python3 Tools/results/comparison.py "$out" --chosen-learning-rate "$1" --sweep-lrs "$sweep_lrs" --sweep-seeds "$sweep_seeds"; }
cnn_lr=none vit_lr=none
! wanted scratch-cnn || cnn_lr=$(chosen cnn)
! wanted scratch-vit || vit_lr=$(chosen vit)
echo "scratch learning rates (chosen on the seed-1 draw): CNN $cnn_lr, ViT $vit_lr"

# 4. Fine-tuning, linear probe and few-shot from every initialisation.
# family INIT / init_args INIT: the recipe and the arguments that start a run from INIT.
family() { case $1 in scratch-vit | videomae | mme) echo vit ;; *) echo cnn ;; esac; }
init_args() {
    case $1 in
        scratch-cnn) echo "--set optim.learningRate=$cnn_lr" ;;
        scratch-vit) echo "--set optim.learningRate=$vit_lr" ;;
        # CGM-Net's encoder saw images in [−1, 1] (its frames are synthesised in that range).
        cgm) echo "--pretrained $out/cgm --set data.normalization=symmetric" ;;
        *) echo "--pretrained $out/$1" ;;
    esac
}
# protocols INIT SEEDS FEW_SEEDS: the three protocols of one initialisation.
protocols() {
    local init=$1 full_seeds=$2 few=$3 seed
    for seed in $full_seeds; do
        # shellcheck disable=SC2046  # init_args yields separate words on purpose
        finetune "full-$init-$seed" "$(family "$init")" "$data" --seed "$seed" $(init_args "$init")
        # shellcheck disable=SC2046
        finetune "linear-$init-$seed" "$(family "$init")" "$data" --seed "$seed" --linear-probe --set steps="$short_steps" $(init_args "$init")
    done
    for seed in $few; do
        # shellcheck disable=SC2046
        finetune "fewshot$few_shot-$init-$seed" "$(family "$init")" "$data" --seed "$seed" --few-shot "$few_shot" \
            --set steps="$short_steps" $(init_args "$init")
    done
}
for init in $all_inits; do
    ! wanted "$init" || protocols "$init" "$seeds" "$few_seeds"
done
! wanted mosi || protocols noise "$noise_seeds" ""

# motion_quality NAME ARGS...: one `kinema cgm evaluate` into $out/motion-NAME.{md,json}.
motion_quality() {
    local name=$1; shift
    [ -f "$out/motion-$name.json" ] && return 0
    echo "=== motion quality on $name"
    "$kinema" cgm evaluate "$@" --frames 8 --size 64 --short-side 72 --stride 1 --flow dis-fast,farneback,tvl1 \
        --run "$out/cgm" --output "$out/motion-$name.md" --json "$out/motion-$name.json.partial"
    mv "$out/motion-$name.json.partial" "$out/motion-$name.json"
}
mapfile -t test_videos < <(tr -d '\r' < "$data/splits/testlist01.txt" | sed "s|^|$data/videos/|")
if ! whole; then
    ! wanted cgm || motion_quality benchmark "${test_videos[@]}"
    echo "the runs of $inits are in $out (INITS names a subset: no controls, no page)"
    exit 0
fi

# 5. The benchmark's controls, trained like the CNN scratch baseline.
for seed in $few_seeds; do
    # shellcheck disable=SC2046
    finetune "control-singleframe-$seed" cnn "$data" --seed "$seed" --set data.singleFrame=true $(init_args scratch-cnn)
    # shellcheck disable=SC2046
    finetune "control-shuffled-$seed" cnn "$data" --seed "$seed" --set data.frameOrder=shuffled $(init_args scratch-cnn)
done
# The frame-order control decides each clip of a time-reversed pair; the reported draw has only 9
# test clips a class, so its models are also tested on every clip of the seed-1 draw (30 a class).
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

# 6. Motion quality (CGM-Net Table 1 at toy scale): the CGM-Net of the table against optical flow,
# on the benchmark's test clips (its own kind of motion, never trained on) and on real videos it
# never saw (MAX_REAL_CLIPS clips a video), at the clip geometry it trained with.
motion_quality benchmark "${test_videos[@]}"
motion_quality real "$real_videos" --clips-per-video "${MAX_REAL_CLIPS:-8}"

# 7. The page.
elapsed=$(( $(date +%s) - started ))
echo "runs finished; this invocation took $((elapsed / 60)) min"
python3 Tools/results/comparison.py "$out" --few-shot "$few_shot" --seeds "$seeds" --few-seeds "$few_seeds" \
    --noise-seeds "$noise_seeds" --sweep-lrs "$sweep_lrs" --sweep-seeds "$sweep_seeds" --benchmark "$data" \
    --pictures "$(dirname "$page")/results" > "$page.partial"
mv "$page.partial" "$page"
echo "wrote $page"
