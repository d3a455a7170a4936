# The run steps Tools/results/comparison.sh and ablations.sh share (sourced, not run). Each step
# is kept once it finished (its summary.json or evaluation.json), so an interrupted script resumes
# where it stopped: a half-finished pretraining from its last checkpoint, any other run from its
# start. They read $kinema (the executable), $out (the runs' folder), $cnn_steps and $vit_steps
# (full fine-tuning steps of each family).

# pretrained NAME: $out/NAME ran all its steps (an interrupted run writes a summary.json too).
pretrained() {
    [ -f "$out/$1/summary.json" ] || return 1
    python3 -c 'import json, sys; sys.exit(not json.load(open(sys.argv[1]))["outcome"].startswith("finished"))' \
        "$out/$1/summary.json"
}

# pretrain NAME COMMAND ARGS...: `kinema COMMAND pretrain ARGS` (seed 0) into $out/NAME. A run that
# stopped after a checkpoint (Ctrl-C, a session's end) continues from it with its saved config.
pretrain() {
    local name=$1 command=$2; shift 2
    pretrained "$name" && return 0
    if [ -f "$out/$name/checkpoints/last.safetensors" ]; then
        echo "=== resume pretrain $name"
        "$kinema" "$command" pretrain --output "$out/$name" --resume
        return
    fi
    rm -rf "${out:?}/$name"
    echo "=== pretrain $name"
    "$kinema" "$command" pretrain --seed 0 --output "$out/$name" "$@"
}

# finetune NAME FAMILY BENCHMARK ARGS...: one fine-tuning run of the CNN recipe
# (configs/finetune/tiny_cpu_v2.yaml) or the ViT one (vit_tiny_cpu.yaml) on BENCHMARK into $out/NAME.
finetune() {
    local name=$1 family=$2 bench=$3; shift 3
    [ -f "$out/$name/evaluation.json" ] && return 0
    rm -rf "${out:?}/$name"
    echo "=== finetune $name"
    local recipe=(--config configs/finetune/tiny_cpu_v2.yaml --set steps="$cnn_steps")
    [ "$family" = vit ] && recipe=(--config configs/finetune/vit_tiny_cpu.yaml --set steps="$vit_steps")
    "$kinema" finetune "${recipe[@]}" --set data.videos="$bench/videos" --set data.splits="$bench/splits" \
        --output "$out/$name" "$@"
}
