"""Intervals for docs/results.md (Python standard library only).

- bootstrap_mean_ci, bootstrap_difference_ci: percentile bootstrap over runs (seeds). With 5 seeds
  a percentile bootstrap is narrower than a t interval (it ignores that the spread itself is
  estimated from 5 values): read it as a description of the seeds, not a guarantee.
- accuracy_ci_over_videos: percentile bootstrap over the test videos of one evaluation.json,
  resampled within each class (stratified), so every resample has the test set's class counts.
- pair_accuracy: the frame-order control's number over seeds, with a bootstrap interval over clips.

`python3 Tools/results/stats.py --self-test` checks the functions against facts computed
independently of them; `python3 Tools/results/stats.py RUN/evaluation.json --pair A B` prints one
evaluation's accuracy interval and pair accuracies."""
import argparse
import json
import math
import random
import statistics
import sys


def percentile(ordered, q):
    """The q-quantile (0 ≤ q ≤ 1) of sorted values, interpolating linearly between order
    statistics (Hyndman & Fan type 7, numpy's default)."""
    position = q * (len(ordered) - 1)
    low = math.floor(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (position - low) * (ordered[high] - ordered[low])


def percentile_interval(replicates, level):
    """The central `level` interval of bootstrap replicates."""
    ordered = sorted(replicates)
    tail = (1 - level) / 2
    return percentile(ordered, tail), percentile(ordered, 1 - tail)


def check_level(level, resamples=1):
    """Refuses a confidence level outside (0, 1) and a bootstrap without resamples."""
    if not 0 < level < 1:
        raise ValueError(f"level must be in (0, 1), got {level}")
    if resamples < 1:
        raise ValueError(f"resamples must be ≥ 1, got {resamples}")


def top1(prediction):
    """The predicted class of one of evaluation.json's predictions (top[0])."""
    if not prediction["top"]:
        raise ValueError(f"{prediction.get('path', '?')}: a prediction without a top class")
    return prediction["top"][0]


def bootstrap_mean_ci(values, level=0.95, resamples=10000, seed=0):
    """Percentile bootstrap interval (low, high) of the mean of `values` (e.g. one number per seed)."""
    values = list(values)
    if not values:
        raise ValueError("bootstrap_mean_ci needs at least one value")
    check_level(level, resamples)
    rng = random.Random(seed)
    n = len(values)
    means = [sum(rng.choices(values, k=n)) / n for _ in range(resamples)]
    return percentile_interval(means, level)


def bootstrap_difference_ci(a, b, paired=True, level=0.95, resamples=10000, seed=0):
    """Percentile bootstrap interval (low, high) of mean(b) − mean(a).

    paired=True: a[i] and b[i] share a seed (the same fine-tuning seed from two initialisations),
    so the per-seed differences b[i] − a[i] are resampled; the lists must be as long. paired=False:
    a and b are resampled independently."""
    a, b = list(a), list(b)
    if not a or not b:
        raise ValueError("bootstrap_difference_ci needs values on both sides")
    check_level(level, resamples)
    if paired:
        if len(a) != len(b):
            raise ValueError(f"paired values need as many on each side, got {len(a)} and {len(b)}")
        return bootstrap_mean_ci([y - x for x, y in zip(a, b)], level, resamples, seed)
    rng = random.Random(seed)
    differences = [sum(rng.choices(b, k=len(b))) / len(b) - sum(rng.choices(a, k=len(a))) / len(a)
                   for _ in range(resamples)]
    return percentile_interval(differences, level)


def correct_by_class(evaluation):
    """{label: [1 if top-1 right else 0, …]} over an evaluation.json's predictions."""
    groups = {}
    for prediction in evaluation["predictions"]:
        groups.setdefault(prediction["label"], []).append(int(top1(prediction) == prediction["label"]))
    if not groups:
        raise ValueError("the evaluation has no predictions")
    return groups


def accuracy_ci_over_videos(evaluation, level=0.95, resamples=10000, seed=0):
    """Top-1 accuracy of one evaluation.json and its percentile bootstrap interval over the test
    videos, resampled with replacement within each class: {"top1", "low", "high", "videos"}."""
    check_level(level, resamples)
    groups = correct_by_class(evaluation)
    videos = sum(len(group) for group in groups.values())
    rng = random.Random(seed)
    ordered = [groups[label] for label in sorted(groups)]
    accuracies = [sum(sum(rng.choices(group, k=len(group))) for group in ordered) / videos
                  for _ in range(resamples)]
    low, high = percentile_interval(accuracies, level)
    top1 = sum(sum(group) for group in ordered) / videos
    return {"top1": top1, "low": low, "high": high, "videos": videos}


def pair_accuracy(evaluations, a, b, level=0.95, resamples=10000, seed=0):
    """The frame-order control's number for the classes named a and b (e.g. MoveLeft, MoveRight),
    over one or more evaluation.json of the same clips (one per training seed): every clip of a or b
    is decided between a and b by its fused probabilities (the prediction's `scores`, every class in
    class order); a clip scores the share of the evaluations that decide it right, and the pair's
    accuracy is the mean over clips (chance 0.5), with a percentile bootstrap interval over clips —
    the seeds' decisions on one clip resampled together, since they are not independent. Returns
    {"accuracy", "low", "high", "clips", "outside", "interval"}: `outside` counts decisions whose
    top-1 was a third class (still decided between a and b, for context); accuracy and its interval
    are None when the pair has no clip."""
    check_level(level, resamples)
    if isinstance(evaluations, dict):
        evaluations = [evaluations]
    names = evaluations[0]["classNames"]
    for name in (a, b):
        if name not in names:
            raise ValueError(f"no class '{name}' in the evaluation (classes: {', '.join(names)})")
    if a == b:
        raise ValueError(f"a pair needs two classes, got '{a}' twice")
    ia, ib = names.index(a), names.index(b)
    decisions, outside = {}, 0
    for evaluation in evaluations:
        if evaluation["classNames"] != names:
            raise ValueError("the evaluations name different classes")
        for p in evaluation["predictions"]:
            if p["label"] not in (ia, ib):
                continue
            if len(p.get("scores", [])) != len(names):
                raise ValueError(f"{p.get('path', '?')}: the prediction lacks every class's probability "
                                 "('scores', written by kinema since 0.4): evaluate the run again")
            decided = ia if p["scores"][ia] > p["scores"][ib] else ib
            decisions.setdefault(p["path"], []).append(int(decided == p["label"]))
            outside += top1(p) not in (ia, ib)
    result = {"clips": len(decisions), "outside": outside,
              "interval": f"{100 * level:g} % percentile bootstrap over clips"}
    if not decisions:
        return {**result, "accuracy": None, "low": None, "high": None}
    shares = [sum(d) / len(d) for _, d in sorted(decisions.items())]
    rng = random.Random(seed)
    n = len(shares)
    low, high = percentile_interval([sum(rng.choices(shares, k=n)) / n for _ in range(resamples)], level)
    return {**result, "accuracy": sum(shares) / n, "low": low, "high": high}


def self_test():
    """Checks every function against a fact computed without it; exits 1 on the first failure."""
    failures = []

    def check(condition, what):
        print(("ok   " if condition else "FAIL ") + what)
        if not condition:
            failures.append(what)

    # 1. A large normal sample: the bootstrap interval of the mean is mean ± 1.96·s/√n (CLT). The
    # endpoints' Monte Carlo error with R = 10000 resamples is √(0.025·0.975/R)/φ(1.96) ≈ 0.027
    # standard errors; the allowance is 0.15 standard errors (> 5 Monte Carlo errors).
    rng = random.Random(1)
    sample = [rng.gauss(10, 3) for _ in range(400)]
    mean, se = statistics.fmean(sample), statistics.stdev(sample) / math.sqrt(len(sample))
    low, high = bootstrap_mean_ci(sample)
    check(abs(low - (mean - 1.959964 * se)) < 0.15 * se and abs(high - (mean + 1.959964 * se)) < 0.15 * se,
          f"bootstrap_mean_ci, n = 400 normal: [{low:.4f}, {high:.4f}] vs mean ± 1.96 s/√n = "
          f"[{mean - 1.959964 * se:.4f}, {mean + 1.959964 * se:.4f}]")
    check(bootstrap_mean_ci(sample, seed=3) == bootstrap_mean_ci(sample, seed=3), "bootstrap_mean_ci is seeded")
    check(bootstrap_mean_ci([0.4] * 5) == (0.4, 0.4), "constant values: the interval is the value")

    # 2. Differences. Paired: b = a + 0.03 exactly gives [0.03, 0.03] however spread a is; the
    # same numbers unpaired give an interval as wide as the spread of a and b.
    a = [0.13, 0.14, 0.41, 0.22, 0.30]
    b = [x + 0.03 for x in a]
    low, high = bootstrap_difference_ci(a, b)
    check(abs(low - 0.03) < 1e-12 and abs(high - 0.03) < 1e-12, f"paired difference of a shift: [{low:.4f}, {high:.4f}]")
    low, high = bootstrap_difference_ci(a, b, paired=False)
    check(low < 0 < 0.03 < high, f"unpaired, the same numbers: [{low:.4f}, {high:.4f}] contains 0")
    # Unpaired normal samples: mean(b) − mean(a) ± 1.96·√(s_a²/n_a + s_b²/n_b), allowance as in 1.
    xs = [rng.gauss(0, 1) for _ in range(300)]
    ys = [rng.gauss(1, 2) for _ in range(500)]
    difference = statistics.fmean(ys) - statistics.fmean(xs)
    se = math.sqrt(statistics.variance(xs) / 300 + statistics.variance(ys) / 500)
    low, high = bootstrap_difference_ci(xs, ys, paired=False)
    check(abs(low - (difference - 1.959964 * se)) < 0.15 * se and abs(high - (difference + 1.959964 * se)) < 0.15 * se,
          f"unpaired normal difference: [{low:.4f}, {high:.4f}] vs [{difference - 1.959964 * se:.4f}, "
          f"{difference + 1.959964 * se:.4f}]")
    try:
        bootstrap_difference_ci([1, 2], [1, 2, 3])
        check(False, "paired lists of different lengths are refused")
    except ValueError as error:
        check("as many" in str(error), f"paired lists of different lengths are refused ({error})")

    # 3. Accuracy over videos. Resampling within each class, class c's correct count is
    # Binomial(n_c, p_c) exactly, so the accuracy's standard deviation is √(Σ n_c p_c (1 − p_c)) / N
    # and the interval is ≈ top-1 ± 1.96 of it (allowance as in 1, plus one video, 1/N, for the
    # discreteness of the counts).
    names = [f"c{i}" for i in range(10)]
    predictions = []
    for label in range(10):
        right = 12 + 4 * label  # of 60
        predictions += [{"label": label, "top": [label if i < right else (label + 1) % 10]} for i in range(60)]
    evaluation = {"classNames": names, "predictions": predictions}
    result = accuracy_ci_over_videos(evaluation)
    sd = math.sqrt(sum(60 * p * (1 - p) for p in ((12 + 4 * c) / 60 for c in range(10)))) / 600
    expected = sum(12 + 4 * c for c in range(10)) / 600
    allowance = 0.15 * sd + 1 / 600
    check(result["top1"] == expected and result["videos"] == 600
          and abs(result["low"] - (expected - 1.959964 * sd)) < allowance
          and abs(result["high"] - (expected + 1.959964 * sd)) < allowance,
          f"accuracy_ci_over_videos: {result['top1']:.4f} [{result['low']:.4f}, {result['high']:.4f}] vs "
          f"{expected:.4f} ± 1.96·{sd:.4f}")
    # Every class all right or all wrong: a stratified resample cannot change the accuracy (an
    # unstratified one would), so the interval is the point 0.5.
    split = {"classNames": ["a", "b"], "predictions": [{"label": 0, "top": [0]}] * 9 + [{"label": 1, "top": [0]}] * 9}
    result = accuracy_ci_over_videos(split)
    check((result["top1"], result["low"], result["high"]) == (0.5, 0.5, 0.5),
          f"stratified: classes all right / all wrong give [{result['low']}, {result['high']}] = 0.5")

    # 4. Pair accuracy on hand-made scores (classes MoveLeft, MoveRight, Still). Each clip is decided
    # between MoveLeft and MoveRight by its two probabilities, whatever its top-1:
    #   MoveLeft  clips: 6 with scores (.7, .2, .1) right, 2 with (.1, .3, .6) wrong (top-1 Still);
    #   MoveRight clips: 5 with (.2, .5, .3) right, 3 with (.5, .1, .4) wrong;
    #   Still     clips: 4, never counted.
    # → 6 + 5 = 11 right of 16 = 0.6875, 2 of the 16 with a third class as top-1.
    def clip(label, index, scores):
        top = sorted(range(3), key=lambda c: -scores[c])
        return {"label": label, "path": f"{label}/{index}", "scores": list(scores), "top": top}
    groups = [(0, (.7, .2, .1), 6), (0, (.1, .3, .6), 2), (1, (.2, .5, .3), 5), (1, (.5, .1, .4), 3), (2, (.6, .1, .3), 4)]
    predictions, counter = [], 0
    for label, scores, count in groups:
        for _ in range(count):
            predictions.append(clip(label, counter, scores))
            counter += 1
    evaluation = {"classNames": ["MoveLeft", "MoveRight", "Still"], "predictions": predictions}
    result = pair_accuracy(evaluation, "MoveLeft", "MoveRight")
    check(result["accuracy"] == 11 / 16 and result["clips"] == 16 and result["outside"] == 2,
          f"pair_accuracy: {result['accuracy']} of {result['clips']} clips ({result['outside']} outside) vs 11/16")
    # The same evaluation twice (two seeds deciding alike) is the same clips, not twice as many: the
    # accuracy and, with the same resampling seed, the interval are unchanged.
    twice = pair_accuracy([evaluation, evaluation], "MoveLeft", "MoveRight")
    check(twice["accuracy"] == result["accuracy"] and (twice["low"], twice["high"]) == (result["low"], result["high"])
          and twice["clips"] == 16, f"two identical seeds: [{twice['low']}, {twice['high']}] vs [{result['low']}, {result['high']}]")
    # A large sample of clips, each right with probability 0.5 independently: the interval is about
    # 0.5 ± 1.96·√(0.25/n) (CLT; allowance as in check 1).
    rng = random.Random(5)
    many = [clip(i % 2, i, (.6, .4, 0) if rng.random() < 0.5 else (.4, .6, 0)) for i in range(2000)]
    wide = pair_accuracy({"classNames": ["MoveLeft", "MoveRight", "Still"], "predictions": many}, "MoveLeft", "MoveRight")
    se = math.sqrt(wide["accuracy"] * (1 - wide["accuracy"]) / 2000)
    check(abs(wide["low"] - (wide["accuracy"] - 1.959964 * se)) < 0.15 * se
          and abs(wide["high"] - (wide["accuracy"] + 1.959964 * se)) < 0.15 * se,
          f"2000 clips: [{wide['low']:.4f}, {wide['high']:.4f}] vs {wide['accuracy']:.4f} ± 1.96·{se:.4f}")
    check(pair_accuracy(evaluation, "MoveRight", "MoveLeft") == result, "pair_accuracy is symmetric in a and b")
    try:
        pair_accuracy(evaluation, "MoveLeft", "MoveUp")
        check(False, "an unknown class is refused")
    except ValueError as error:
        check("MoveUp" in str(error), f"an unknown class is refused ({error})")
    try:
        pair_accuracy({**evaluation, "predictions": [{"label": 0, "top": [0, 1, 2]}]}, "MoveLeft", "MoveRight")
        check(False, "a prediction without scores is refused")
    except ValueError as error:
        check("scores" in str(error), f"a prediction without scores is refused ({error})")

    print(f"{len(failures)} failure(s)")
    return 1 if failures else 0


def describe(path, pairs):
    with open(path) as f:
        evaluation = json.load(f)
    result = accuracy_ci_over_videos(evaluation)
    print(f"{path}: top-1 {100 * result['top1']:.1f} % [{100 * result['low']:.1f}, {100 * result['high']:.1f}] "
          f"(95 % stratified bootstrap over {result['videos']} videos; chance {100 * evaluation['chance']:.1f} %)")
    for a, b in pairs:
        pair = pair_accuracy(evaluation, a, b)
        if pair["accuracy"] is None:
            print(f"  {a}/{b}: no test video of the pair")
            continue
        print(f"  {a}/{b}: {100 * pair['accuracy']:.1f} % [{100 * pair['low']:.1f}, {100 * pair['high']:.1f}] "
              f"of {pair['clips']} clips ({pair['interval']}; {pair['outside']} with a third class as top-1; chance 50 %)")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("evaluation", nargs="*", help="evaluation.json files to describe")
    parser.add_argument("--pair", nargs=2, action="append", default=[], metavar=("A", "B"),
                        help="class names of a pair that differs only in temporal order (repeatable)")
    parser.add_argument("--self-test", action="store_true", help="check the functions against independent facts")
    args = parser.parse_args()
    if args.self_test:
        sys.exit(self_test())
    if not args.evaluation:
        parser.error("give evaluation.json files or --self-test")
    for path in args.evaluation:
        describe(path, args.pair)


if __name__ == "__main__":
    main()
