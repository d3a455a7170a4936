#!/usr/bin/env bash
# Reproduces docs/results-ablations.md: the papers' ablations at CPU scale, on the comparison's
# benchmark, models and fine-tuning protocol (Tools/results/comparison.sh, whose scratch baselines
# and main runs are the references: the runs a part needs are made first, unless a committed part
# file recorded them). One part at a time, so that hours of runs spread over several sessions:
#   mosi            MoSI without the static mask, and MoSI-x / MoSI-y (one axis of the label pool;
#                   MoSI Table 1, Figs. 6–7), with the Grad-CAM localisation of masked and unmasked
#                   (Fig. 4)
#   mme-targets     MME Table 5's reconstruction targets on the same tiny ViT: pixels, HOG, HOG +
#                   flow, HOG + HOF, HOG + MBH, trajectory only (trajectories + HOG is the
#                   comparison's MME run)
#   cgm-upsampling  CGM-Net's motion-map upsampling: nearest and bilinear against CGMUL (Tables 6–7)
#   cgm-scale       the low/high-resolution scale factor 1, 2, 8 against 4 (Fig. 6)
#   cgm-longer      CGM-Net pretrained 4 times as long (2000 steps): does it leave copying behind?
#   cgm-upsampling-longer, cgm-scale-longer
#                   the two parts above again at 2000 steps, against the cgm-longer run (at 500
#                   steps no CGM-Net run warps below copying the previous frame)
#   cgm-real        CGM-Net trained on real video (configs/cgm/tiny_cpu.yaml), its motion maps
#                   against DIS, Farnebäck and TV-L1 on the held-out end of every real video
# Each variant pretrains once (seed 0), then fine-tunes and linear-probes for SEEDS; a CGM-Net
# variant also has its warp ℓ1 on the benchmark's test clips. A finished part writes
# docs/results/ablations/PART.json (its numbers and its references'), which is committed; the page
# is written from every part file there, so parts measured in different sessions add up.
#   make results-ablations                       # every part not yet in docs/results/ablations/
#   PARTS="mosi cgm-upsampling" make results-ablations
#   Tools/results/ablations.sh mme-targets       # one part, again
set -euo pipefail
cd "$(dirname "$0")/../.."
kinema=${KINEMA:-.build/release/kinema}
seeds=${SEEDS:-"0 1 2"}
cnn_steps=${CNN_STEPS:-500}
vit_steps=${VIT_STEPS:-400}
short_steps=${SHORT_STEPS:-200}
results=${RESULTS:-runs/results}
out=${ABLATIONS:-runs/ablations}
parts_folder=docs/results/ablations
data=data/motion-photos-v2
all_parts="mosi mme-targets cgm-upsampling cgm-scale cgm-longer cgm-upsampling-longer cgm-scale-longer cgm-real"
mkdir -p "$out" "$parts_folder"

# The parts asked for, or every part without a file yet.
if [ $# -gt 0 ]; then
    parts="$*"
elif [ -n "${PARTS:-}" ]; then
    parts=$PARTS
else
    parts=""
    for part in $all_parts; do [ -f "$parts_folder/$part.json" ] || parts="$parts $part"; done
fi
for part in $parts; do
    case " $all_parts " in *" $part "*) ;; *) echo "unknown part '$part'; parts: $all_parts" >&2; exit 64 ;; esac
done

# shellcheck source=Tools/results/runs.sh
source Tools/results/runs.sh
[ -f "$data/splits/classInd.txt" ] || "$kinema" make-dataset "$data" --seed 0

# The comparison's runs are the references. A part file records its references per seed, so a part
# whose references another part already recorded (every CGM-Net part: scratch-cnn and cgm) reads
# them there, once the scratch baseline's first seed, rerun, gives the recorded top-1 again
# (references-plan --check, before any variant runs); otherwise the comparison runs what the part
# needs (INITS: the scratch baseline of its family and its main run, for SEEDS; resumable).
# shellcheck disable=SC2086  # one word per part
plan=$(python3 Tools/results/ablations.py references-plan $parts --results "$results" --runs "$out" --seeds "$seeds")
inits=$(awk '$1 == "run" { print $2 }' <<< "$plan" | sort -u | tr '\n' ' ')
if [ -n "$inits" ]; then
    KINEMA=$kinema RESULTS=$results INITS="$inits" SEEDS="$seeds" FEW_SEEDS="" NOISE_SEEDS="" Tools/results/comparison.sh
fi
awk '$1 == "rerun" { print $2, $3 }' <<< "$plan" | sort -u | while read -r family rate; do
    (out=$results; finetune "full-scratch-$family-${seeds%% *}" "$family" "$data" --seed "${seeds%% *}" \
        --set optim.learningRate="$rate")
done
# shellcheck disable=SC2086
python3 Tools/results/ablations.py references-plan $parts --results "$results" --runs "$out" --seeds "$seeds" --check

# protocols VARIANT FAMILY ARGS...: full fine-tuning and the linear probe of a pretrained variant.
protocols() {
    local variant=$1 family=$2 seed; shift 2
    for seed in $seeds; do
        finetune "full-$variant-$seed" "$family" "$data" --seed "$seed" --pretrained "$out/$variant" "$@"
        finetune "linear-$variant-$seed" "$family" "$data" --seed "$seed" --linear-probe --set steps="$short_steps" \
            --pretrained "$out/$variant" "$@"
    done
}
# motion_quality RUN: a CGM-Net variant's warp ℓ1 (and PSNR, SSIM) on the benchmark's test clips.
motion_quality() {
    local run=$1
    [ -f "$out/$run/motion-benchmark.json" ] && return 0
    mapfile -t test_videos < <(tr -d '\r' < "$data/splits/testlist01.txt" | sed "s|^|$data/videos/|")
    "$kinema" cgm evaluate "${test_videos[@]}" --frames 8 --size 64 --short-side 72 --stride 1 --flow dis-fast \
        --run "$out/$run" --json "$out/$run/motion-benchmark.json.partial" > /dev/null
    mv "$out/$run/motion-benchmark.json.partial" "$out/$run/motion-benchmark.json"
}
# cgm_variant NAME ARGS...: a CGM-Net variant of configs/results/cgm.yaml, pretrained, scored and fine-tuned.
cgm_variant() {
    local name=$1; shift
    pretrain "$name" cgm --config configs/results/cgm.yaml "$@"
    motion_quality "$name"
    protocols "$name" cnn --set data.normalization=symmetric
}
# cgm-longer's schedule, which the -longer parts give their variants.
longer=(--set steps=2000 --set optim.decaySteps=1600)
mosi_data=(--set data.format=ucf101 --set data.source="$data/videos" --set data.splits="$data/splits" --set data.split=1)

for part in $parts; do
    echo "##### part $part"
    case $part in
        mosi)
            pretrain mosi-unmasked mosi --config configs/mosi/tiny_cpu_unmasked.yaml "${mosi_data[@]}"
            pretrain mosi-x mosi --config configs/mosi/tiny_cpu.yaml "${mosi_data[@]}" --set generator.motions=horizontal
            pretrain mosi-y mosi --config configs/mosi/tiny_cpu.yaml "${mosi_data[@]}" --set generator.motions=vertical
            for variant in mosi-unmasked mosi-x mosi-y; do protocols "$variant" cnn; done
            # Where the masked and unmasked backbones look (MoSI Fig. 4): Grad-CAM mass on the moving objects.
            for run in "$results/mosi" "$out/mosi-unmasked"; do
                [ -f "$out/localization-$(basename "$run").json" ] && continue
                "$kinema" localization "$run" "$data" --target motion --output "$out/localization-$(basename "$run").json.partial"
                mv "$out/localization-$(basename "$run").json.partial" "$out/localization-$(basename "$run").json"
            done
            ;;
        mme-targets)
            # MME Table 5 on configs/results/mme.yaml: the same ViT, decoder, masks and clips, the target the only
            # change. Table 5's HOG is appearance: MaskFeat's HOG of one frame of each tube (shape perFrame), to
            # which HOG + Flow/HOF/MBH add the short-term motion of the masked patches.
            for kind in pixels hog flow hof mbh trajectory; do
                shape=()
                case $kind in hog | flow | hof | mbh) shape=(--set target.motion.shape=perFrame) ;; esac
                pretrain "mme-$kind" mme --config configs/results/mme.yaml --set target.kind="$kind" "${shape[@]}"
                protocols "mme-$kind" vit
            done
            ;;
        cgm-upsampling | cgm-upsampling-longer)
            # Nearest and bilinear upsample each map's taps and spread them to k̂ = r(k − 1) + 1 with zero
            # holes (CGM-Net §4.2), so k̂ = 4·2 + 1 = 9 at k = 3; CGMUL keeps the comparison's k̂ = 7.
            suffix=${part#cgm-upsampling} schedule=()
            [ -z "$suffix" ] || schedule=("${longer[@]}")
            for method in nearest bilinear; do
                cgm_variant "cgm-$method$suffix" --set model.upsampling="$method" --set model.hrKernel=9 "${schedule[@]}"
            done
            ;;
        cgm-scale | cgm-scale-longer)
            # r3d_18_tiny's features are 4² at 64²: scale 1 needs 4 spatial doublings, so 4 decoder blocks.
            suffix=${part#cgm-scale} schedule=()
            [ -z "$suffix" ] || schedule=("${longer[@]}")
            cgm_variant "cgm-scale1$suffix" --set model.scale=1 --set "model.decoderChannels=[32, 32, 32, 32]" "${schedule[@]}"
            cgm_variant "cgm-scale2$suffix" --set model.scale=2 "${schedule[@]}"
            cgm_variant "cgm-scale8$suffix" --set model.scale=8 "${schedule[@]}"
            ;;
        cgm-longer)
            cgm_variant cgm-longer "${longer[@]}"
            ;;
        cgm-real)
            pretrain cgm-real cgm --config configs/cgm/tiny_cpu.yaml --set data.source=.deps/data/videos
            if [ ! -f "$out/cgm-real/motion-real.json" ]; then
                "$kinema" cgm evaluate .deps/data/videos --frames 8 --size 64 --short-side 72 --stride 3 \
                    --held-out-fraction 0.2 --flow dis-fast,farneback,tvl1 --run "$out/cgm-real" \
                    --json "$out/cgm-real/motion-real.json.partial" > /dev/null
                mv "$out/cgm-real/motion-real.json.partial" "$out/cgm-real/motion-real.json"
            fi
            ;;
    esac
    python3 Tools/results/ablations.py collect "$part" --runs "$out" --results "$results" --seeds "$seeds" \
        > "$parts_folder/$part.json.partial" || { rm -f "$parts_folder/$part.json.partial"; exit 1; }
    mv "$parts_folder/$part.json.partial" "$parts_folder/$part.json"
    echo "wrote $parts_folder/$part.json"
done

python3 Tools/results/ablations.py page "$parts_folder" > docs/results-ablations.md.partial
mv docs/results-ablations.md.partial docs/results-ablations.md
echo "wrote docs/results-ablations.md"
