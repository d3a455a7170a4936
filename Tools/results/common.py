"""What the pages of Tools/results share (standard library only): reading runs, formatting cells
with their bootstrap intervals (Tools/results/stats.py), line charts as SVG, and the benchmark's
controls (one frame repeated; frames shuffled), which docs/results.md and docs/results-mosi.md both
report."""
import json
import os
import statistics
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import stats  # noqa: E402  (Tools/results/stats.py)


def load(path):
    with open(path) as f:
        return json.load(f)


def config_value(folder, key):
    """A top-level or dotted `key` of a run's config.yaml (two levels, as Kinema writes it)."""
    section, _, name = key.rpartition(".")
    current = None
    with open(os.path.join(folder, "config.yaml")) as f:
        for line in f:
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            if not line.startswith(" "):
                current = line.split(":")[0]
                if not section and current == name:
                    return line.split(":", 1)[1].strip()
            elif section and current == section and line.strip().split(":")[0] == name:
                return line.split(":", 1)[1].strip()
    return None


def training_curve(folder):
    """(steps, losses) of a run's training records."""
    steps, losses = [], []
    with open(os.path.join(folder, "metrics.jsonl")) as f:
        for line in f:
            record = json.loads(line)
            if record.get("split") == "train" and "loss" in record:
                steps.append(record["step"])
                losses.append(record["loss"])
    return steps, losses


def pct(value):
    return f"{100 * value:.1f}"


def mean_cell(values):
    """mean ± std [95 % bootstrap interval of the mean], in %."""
    if not values:
        return "–"
    if len(values) == 1:
        return pct(values[0])
    low, high = stats.bootstrap_mean_ci(values)
    return f"{pct(statistics.mean(values))} ± {pct(statistics.stdev(values))} [{pct(low)}, {pct(high)}]"


def difference_cell(a, b):
    """mean(b − a) in points with its paired bootstrap interval."""
    low, high = stats.bootstrap_difference_ci(a, b, paired=True)
    return f"{100 * (statistics.mean(b) - statistics.mean(a)):+.1f} [{100 * low:+.1f}, {100 * high:+.1f}]", (low, high)


def verdict(interval):
    low, high = interval
    if low > 0:
        return "ahead: the interval excludes zero"
    if high < 0:
        return "behind: the interval excludes zero"
    return "not told apart: the interval includes zero"


def smoothed(values, window=25):
    out, total = [], 0.0
    for i, v in enumerate(values):
        total += v
        if i >= window:
            total -= values[i - window]
        out.append(total / min(i + 1, window))
    return out


def curves_svg(series, title, y_label):
    """A line chart of `series` [(label, colour, dashed, steps, values)] as SVG text."""
    width, height, left, right, top, bottom = 720, 360, 60, 190, 30, 45
    xs = [x for s in series for x in s[3]]
    ys = [y for s in series for y in s[4]]
    x0, x1 = min(xs), max(xs)
    y0, y1 = min(ys), max(ys)
    y0, y1 = y0 - 0.05 * (y1 - y0 or 1), y1 + 0.05 * (y1 - y0 or 1)

    def px(x):
        return left + (x - x0) / ((x1 - x0) or 1) * (width - left - right)

    def py(y):
        return height - bottom - (y - y0) / ((y1 - y0) or 1) * (height - top - bottom)

    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" font-family="sans-serif" font-size="12">',
             f'<rect width="{width}" height="{height}" fill="white"/>',
             f'<text x="{left}" y="18" font-size="14">{title}</text>',
             f'<line x1="{left}" y1="{height - bottom}" x2="{width - right}" y2="{height - bottom}" stroke="black"/>',
             f'<line x1="{left}" y1="{top}" x2="{left}" y2="{height - bottom}" stroke="black"/>',
             f'<text x="{(left + width - right) / 2}" y="{height - 8}" text-anchor="middle">step</text>',
             f'<text x="14" y="{(top + height - bottom) / 2}" transform="rotate(-90 14 {(top + height - bottom) / 2})" '
             f'text-anchor="middle">{y_label}</text>']
    for i in range(5):
        y = y0 + (y1 - y0) * i / 4
        parts.append(f'<text x="{left - 6}" y="{py(y) + 4:.1f}" text-anchor="end">{y:.2f}</text>')
        x = x0 + (x1 - x0) * i / 4
        parts.append(f'<text x="{px(x):.1f}" y="{height - bottom + 16}" text-anchor="middle">{x:.0f}</text>')
    for n, (label, colour, dashed, steps, values) in enumerate(series):
        points = " ".join(f"{px(x):.1f},{py(y):.1f}" for x, y in zip(steps, values))
        dash = ' stroke-dasharray="5,3"' if dashed else ""
        parts.append(f'<polyline fill="none" stroke="{colour}" stroke-width="1.5"{dash} points="{points}"/>')
        ly = top + 14 * n
        parts.append(f'<line x1="{width - right + 10}" y1="{ly}" x2="{width - right + 30}" y2="{ly}" stroke="{colour}"{dash}/>')
        parts.append(f'<text x="{width - right + 35}" y="{ly + 4}">{label}</text>')
    parts.append("</svg>")
    return "\n".join(parts) + "\n"


def pooled(evaluations):
    """Several runs' evaluation.json as one: every (run, test video) is a prediction."""
    return {"classNames": evaluations[0]["classNames"],
            "predictions": [p for e in evaluations for p in e["predictions"]]}




def sweep_results(runs, prefix, lrs, seeds):
    """{lr: [top-1 on the seed-1 benchmark per sweep seed]} of the runs `{prefix}-lr{lr}-{seed}`."""
    return {lr: [load(os.path.join(runs, f"{prefix}-lr{lr}-{s}", "evaluation.json"))["top1"] for s in seeds]
            for lr in lrs}


def chosen_learning_rate(runs, prefix, lrs, seeds):
    """The swept rate with the best mean top-1 (ties to the smaller rate)."""
    results = sweep_results(runs, prefix, lrs, seeds)
    return max(lrs, key=lambda lr: (statistics.mean(results[lr]), -float(lr)))


SWEEP_PALETTE = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e"]


def sweep_section(runs, prefix, lrs, seeds, picture, title):
    """The sweep's table (the chosen rate marked) and its training curves, written to `picture`
    (an SVG); returns the Markdown lines and the chosen rate."""
    sweep = sweep_results(runs, prefix, lrs, seeds)
    chosen = chosen_learning_rate(runs, prefix, lrs, seeds)
    lines = ["| learning rate | " + " | ".join(f"seed {s}" for s in seeds) + " | mean |",
             "|---|" + "---|" * (len(seeds) + 1)]
    for lr in lrs:
        marker = " (chosen)" if lr == chosen else ""
        lines.append(f"| {lr}{marker} | " + " | ".join(pct(v) for v in sweep[lr]) + f" | {pct(statistics.mean(sweep[lr]))} |")
    series = []
    for n, lr in enumerate(lrs):
        for m, s in enumerate(seeds):
            x, y = training_curve(os.path.join(runs, f"{prefix}-lr{lr}-{s}"))
            series.append((f"lr {lr}, seed {s}", SWEEP_PALETTE[n % len(SWEEP_PALETTE)], m > 0, x, smoothed(y)))
    os.makedirs(os.path.dirname(picture), exist_ok=True)
    with open(picture, "w") as f:
        f.write(curves_svg(series, title, "training loss (25-step mean)"))
    return lines, chosen


def trained_check(runs, names, evaluation, chance):
    """Whether each run trained: its training loss fell (the mean of its last 50 records below 0.9 ×
    the mean of its first 50: the bar must hold under mixup and label smoothing, which keep the loss
    far above zero) and its test top-1 is above twice chance. Returns (count trained, the sentence
    listing every run)."""
    curves = [training_curve(os.path.join(runs, r))[1] for r in names]
    first = [statistics.mean(c[:50]) for c in curves]
    last = [statistics.mean(c[-50:]) for c in curves]
    trained = [b < 0.9 * a and evaluation(r)["top1"] > 2 * chance for r, a, b in zip(names, first, last)]
    text = (f"{sum(trained)} of {len(trained)} runs trained (training loss, mean of the first → last 50 records, down by "
            f"more than 10 %, and test top-1 above twice chance, {pct(2 * chance)} %): "
            + ", ".join(f"{r}: loss {a:.2f} → {b:.2f}, top-1 {pct(evaluation(r)['top1'])} %"
                        for r, a, b in zip(names, first, last)))
    return sum(trained), text


def controls_section(runs, benchmark, seeds, first):
    """The appearance and frame-order controls of the runs `control-singleframe-{seed}` and
    `control-shuffled-{seed}` (the latter also tested on every clip of the seed-1 draw, in
    `seed1-all/`). Returns the Markdown lines and whether both controls hold."""
    def evaluation(name):
        return load(os.path.join(runs, name, "evaluation.json"))

    classes, chance = first["classNames"], first["chance"]
    lines = []
    emit = lines.append
    # Class pairs that differ only in temporal order, as the benchmark's manifest lists them.
    time_pairs = load(os.path.join(benchmark, "manifest.json"))["timeReversalPairs"]
    single = pooled([evaluation(f"control-singleframe-{s}") for s in seeds])
    appearance = stats.accuracy_ci_over_videos(single)
    passed_single = appearance["high"] <= chance + 0.05
    emit(f"""- **Appearance** (one frame of each clip repeated — a random frame in training, the centre frame of
  each test clip — trained and tested like scratch; {len(seeds)} seeds pooled, {appearance["videos"]} test clips):
  top-1 {pct(appearance["top1"])} % [{pct(appearance["low"])}, {pct(appearance["high"])}], chance {pct(chance)} %. The upper end must be
  ≤ chance + 5 points = {pct(chance + 0.05)} %: **{"holds" if passed_single else "FAILS — the benchmark leaks appearance"}**.""")
    shuffled = [evaluation(f"control-shuffled-{s}") for s in seeds]
    fresh = [evaluation(f"control-shuffled-{s}/seed1-all") for s in seeds]
    emit(f"""- **Frame order** (frames shuffled in training and test; {len(seeds)} seeds): each clip of a pair of
  classes that differ only in temporal order is decided between the two by the classifier's fused
  probabilities; a clip scores the share of seeds that decide it right, a pair the mean over its
  clips [95 % bootstrap interval over clips, the seeds' decisions on a clip resampled together;
  chance 50 %]. Order-blind, it must not tell them apart. The verdict is taken on every clip of the
  independent seed-1 draw ({fresh[0]["videos"]} clips, none seen in training, {fresh[0]["videos"] // len(classes) * 2} a pair); the
  reported test set has only {first["videos"] // len(classes) * 2} clips a pair, too few to tell 50 % from 65 %, and is shown beside it:""")
    all_pairs_at_chance, small_outside = True, []
    for a, b in time_pairs:
        result = stats.pair_accuracy(fresh, a, b)
        small = stats.pair_accuracy(shuffled, a, b)
        if small["accuracy"] is not None and not small["low"] <= 0.5 <= small["high"]:
            small_outside.append(f"{a} / {b}")
        at_chance = result["accuracy"] is not None and result["low"] <= 0.5 <= result["high"]
        all_pairs_at_chance &= at_chance
        emit(f"  - {a} / {b}: {pct(result['accuracy'])} % [{pct(result['low'])}, {pct(result['high'])}] over "
             f"{result['clips']} clips — {'at chance' if at_chance else 'NOT at chance: the benchmark leaks order'} "
             f"(reported test set: {pct(small['accuracy'])} % [{pct(small['low'])}, {pct(small['high'])}] over "
             f"{small['clips']} clips)")
    if small_outside:
        # With every pair at chance, some pair's 95 % interval misses 50 % with probability
        # 1 − 0.95^pairs (about one in five for four pairs).
        emit(f"  - on the reported test set {', '.join(small_outside)} lies outside chance at 95 %: with "
             f"{len(time_pairs)} pairs of {first['videos'] // len(classes) * 2} clips, some pair does so with probability "
             f"{pct(1 - 0.95 ** len(time_pairs))} % when all are at chance, which the fresh clips settle.")
    emit(f"  - over all classes, shuffled frames still reach {pct(stats.accuracy_ci_over_videos(pooled(shuffled))['top1'])} % top-1 "
         "(what is left of motion without order: speed, extent, periodicity, which object moves).\n")
    return lines, passed_single and all_pairs_at_chance


def pretext_measure(summary):
    """A pretraining run's held-out pretext result beside its bar, from its summary.json: MoSI's
    pseudo-motion accuracy and chance, a masked model's loss over predicting each masked token's
    mean target, CGM-Net's synthesised-frame ℓ1 and next-frame PSNR against copying."""
    if "validationAccuracy" in summary:
        return f"pseudo-motion top-1 {pct(summary['validationAccuracy'])} % (chance {pct(summary['chance'])} %)"
    if "validationLoss" in summary:
        return (f"masked-token loss / predicting each token's mean target: "
                f"{summary['validationLoss'] / summary['patchMeanLoss']:.3f} (before training "
                f"{summary['initialValidationLoss'] / summary['patchMeanLoss']:.3f})")
    final = summary["final"]
    return (f"synthesised-frame ℓ1 {final['seenL1']:.4f} (copying {final['copyL1']:.4f}); next frame "
            f"{final['nextPSNR']:.2f} dB (copying {final['copyPSNR']:.2f} dB)")


def clips_per_step(folder, summary):
    """Clips a pretraining step: MoSI renders every class from each image of a step (MoSI §3.3)."""
    if "classes" in summary:
        return int(config_value(folder, "data.imagesPerStep")) * len(summary["classes"])
    return int(config_value(folder, "data.batchSize"))
