"""docs/results-ablations.md from the parts of Tools/results/ablations.sh (standard library only).

`collect PART --runs R --results C --seeds S` reads one part's runs (and the comparison's runs it is
measured against) and prints the part's numbers as JSON: docs/results/ablations/PART.json, which is
committed, so parts measured in different sessions add up. `page FOLDER` writes the page from
every part file there. Intervals are 95 % percentile bootstraps (Tools/results/stats.py): over
fine-tuning seeds for means, paired by seed (by clip for motion quality) for differences."""
import argparse
import datetime
import json
import os
import statistics
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import stats  # noqa: E402  (Tools/results/stats.py)
from common import clips_per_step, config_value, difference_cell, load, mean_cell, pct, pretext_measure, verdict  # noqa: E402

# Each part: its family, the comparison's run it varies, and its variants (run name, label).
PARTS = {
    "mosi": {
        "title": "MoSI: the static mask and the label pool (MoSI Table 1, Figs. 4, 6, 7)",
        "family": "cnn", "main": ("mosi", "MoSI: static mask, both axes (the comparison's run)"),
        "variants": [("mosi-unmasked", "no static mask (global motion)"),
                     ("mosi-x", "MoSI-x: horizontal speeds only"), ("mosi-y", "MoSI-y: vertical speeds only")],
        "paper": "MoSI Table 1 reports both axes ahead of one (UCF101 71.8 against 71.6 and 69.9 %; HMDB51 47.0 "
                 "against 44.9 and 43.1 %), and Fig. 7 the static mask ahead of none, most at small unmasked areas.",
    },
    "mme-targets": {
        "title": "MME: what to reconstruct (MME Table 5)",
        "family": "vit", "main": ("mme", "trajectories + trajectory-aligned HOG (MME; the comparison's run)"),
        "variants": [("mme-pixels", "pixels (VideoMAE's target in MME's setting)"), ("mme-hog", "HOG (one frame a tube)"),
                     ("mme-flow", "HOG + flow"), ("mme-hof", "HOG + HOF"), ("mme-mbh", "HOG + MBH"),
                     ("mme-trajectory", "trajectory positions only (no HOG)")],
        "paper": "MME Table 5 (Something-Something v2, ViT-B): trajectories with their shape 64.1 % top-1, without "
                 "shape (plus appearance HOG) 63.5, HOG + MBH 61.4, HOG + HOF 61.3, pixels and HOG 61.1, HOG + flow 60.9.",
    },
    "cgm-upsampling": {
        "title": "CGM-Net: how the motion maps are upsampled (CGM-Net Tables 6–7)",
        "family": "cnn", "main": ("cgm", "CGMUL, context-guided (the comparison's run)"),
        "variants": [("cgm-nearest", "nearest, taps spread with zero holes"), ("cgm-bilinear", "bilinear, taps spread with zero holes")],
        "paper": "CGM-Net Table 6: warp ℓ1 0.024 with CGMUL against 0.037 bilinear and 0.042 nearest; Table 7: 90.6 % "
                 "top-1 on UCF101 against 88.2 % for both.",
    },
    "cgm-scale": {
        "title": "CGM-Net: the low/high-resolution scale factor (CGM-Net Fig. 6)",
        "family": "cnn", "main": ("cgm", "scale 4 (the comparison's run)"),
        "variants": [("cgm-scale1", "scale 1"), ("cgm-scale2", "scale 2"), ("cgm-scale8", "scale 8")],
        "paper": "CGM-Net Fig. 6: the warp ℓ1 grows with the scale factor (slowly below 8); recognition is best at "
                 "4, worst at 1.",
    },
    "cgm-longer": {
        "title": "CGM-Net: four times the pretraining",
        "family": "cnn", "main": ("cgm", "500 steps (the comparison's run)"),
        "variants": [("cgm-longer", "2000 steps, decayed ×0.1 at 1600")],
        "paper": "CGM-Net trains for 100+ epochs of UCF101 or Kinetics; the comparison's 500 steps are the budget's.",
    },
    "cgm-real": {
        "title": "CGM-Net on real video: motion quality against optical flow (CGM-Net Table 1)",
        "paper": "CGM-Net Table 1 (UCF101, 112²–256²): warp ℓ1 0.018 against TV-L1's 0.037 and DIS-Fast's 0.055; "
                 "next-frame PSNR 35.0 dB at 112².",
    },
}
# The upsampling and scale factor again after 2000 steps, against the cgm-longer part's run: at the
# comparison's 500 steps no CGM-Net run warps below copying, so those parts ablate no learned motion.
for _base in ("cgm-upsampling", "cgm-scale"):
    PARTS[f"{_base}-longer"] = dict(
        PARTS[_base], title=PARTS[_base]["title"].replace("CGM-Net: ", "CGM-Net after 2000 steps: "),
        main=("cgm-longer", "CGMUL at scale 4, 2000 steps (the cgm-longer part's run)"), mainPart="cgm-longer",
        variants=[(f"{name}-longer", f"{label}, 2000 steps") for name, label in PARTS[_base]["variants"]])
# Where the paper puts each variant's recognition against the main run: every ablated variant is
# behind in MoSI Table 1 / Fig. 7, MME Table 5, CGM-Net Table 7 and Fig. 6 (scale 4 best); the
# longer CGM-Net run has no counterpart. A -longer variant is read as its 500-step namesake (paper_name).
PAPER_BEHIND = {"mosi-unmasked", "mosi-x", "mosi-y", "mme-pixels", "mme-hog", "mme-flow", "mme-hof", "mme-mbh",
                "mme-trajectory", "cgm-nearest", "cgm-bilinear", "cgm-scale1", "cgm-scale2", "cgm-scale8"}
# Where a part's scratch and main rows come from, unless its file says otherwise.
DEFAULT_REFERENCES = "the comparison's runs"
# Where the paper puts each CGM-Net variant's warp ℓ1 against the main run's: Table 6 has nearest and
# bilinear above CGMUL's; Fig. 6 has the error growing with the scale factor (1 and 2 below 4's, 8 above).
PAPER_WARP = {"cgm-nearest": "higher", "cgm-bilinear": "higher", "cgm-scale1": "lower", "cgm-scale2": "lower",
              "cgm-scale8": "higher"}
ORDER = ["mosi", "mme-targets", "cgm-upsampling", "cgm-scale", "cgm-longer", "cgm-upsampling-longer", "cgm-scale-longer",
         "cgm-real"]


def paper_name(name):
    """The variant of the paper's ablation a run stands for: a -longer run is its 500-step namesake's."""
    return name.removesuffix("-longer")


def protocol_top1(folder, name, seeds):
    return {key: [load(os.path.join(folder, f"{key}-{name}-{s}", "evaluation.json"))["top1"] for s in seeds]
            for key in ("full", "linear")}


def pretraining(folder):
    summary = load(os.path.join(folder, "summary.json"))
    return {"steps": summary["steps"], "clipsPerStep": clips_per_step(folder, summary),
            "minutes": summary["seconds"] / 60, "pretext": pretext_measure(summary)}


def clip_scores(path, method):
    """{measure: [per-clip value]} of one method in a `kinema cgm evaluate` JSON."""
    report = load(path)
    return {m: [clip["scores"][method][m] for clip in report["clips"]] for m in ("l1", "psnr", "ssim")}


def collect(args):
    part, seeds = args.part, args.seeds.split()
    spec = PARTS[part]
    out = {"part": part, "written": datetime.date.today().isoformat(), "seeds": seeds}
    if part == "cgm-real":
        run = os.path.join(args.runs, "cgm-real")
        report = load(os.path.join(run, "motion-real.json"))
        out["pretraining"] = pretraining(run)
        out["motion"] = {"clips": len(report["clips"]), "videos": len(report["videos"]), "geometry": report["geometry"],
                         "rows": report["rows"],
                         "perClip": {row["method"]: clip_scores(os.path.join(run, "motion-real.json"), row["method"])
                                     for row in report["rows"]}}
        return out
    out.update(part_references(args, part, seeds))
    rows = out.pop("main")
    for name, label in spec["variants"]:
        rows.append(dict(name=name, label=label, **protocol_top1(args.runs, name, seeds),
                         pretraining=pretraining(os.path.join(args.runs, name))))
        if part.startswith("cgm-"):
            rows[-1]["motion"] = clip_scores(os.path.join(args.runs, name, "motion-benchmark.json"), "cgm-net")
    out["chance"] = load(os.path.join(args.runs, f"full-{spec['variants'][0][0]}-{seeds[0]}", "evaluation.json"))["chance"]
    if part == "mosi":
        out["localization"] = localization(args)
    out["rows"] = rows
    return out


def comparison_references(args, part, seeds):
    """A part's references read from the runs: its family's scratch baseline (and the rate its sweep
    chose) from the comparison's, and its main run (the comparison's, or for a -longer part the
    cgm-longer part's) for `seeds`, with, for CGM-Net, the warp ℓ1 of the main run and of copying
    on the benchmark's test clips; None when a run is missing."""
    spec = PARTS[part]
    family, (main_name, main_label) = spec["family"], spec["main"]
    main_folder = args.runs if "mainPart" in spec else args.results
    try:
        references = {"references": DEFAULT_REFERENCES + (f" and the {spec['mainPart']} part's" if "mainPart" in spec else ""),
                      "scratch": protocol_top1(args.results, f"scratch-{family}", seeds),
                      "scratchLearningRate": float(config_value(
                          os.path.join(args.results, f"full-scratch-{family}-{seeds[0]}"), "optim.learningRate")),
                      "main": [dict(name=main_name, label=main_label, **protocol_top1(main_folder, main_name, seeds),
                                    pretraining=pretraining(os.path.join(main_folder, main_name)))]}
        if part.startswith("cgm-"):
            scored = (os.path.join(args.runs, main_name, "motion-benchmark.json") if "mainPart" in spec
                      else os.path.join(args.results, "motion-benchmark.json"))
            references["main"][0]["motion"] = clip_scores(scored, "cgm-net")
            references["copy"] = clip_scores(scored, "copy")
    except FileNotFoundError:
        return None
    return references


def recorded_references(folder, part, seeds):
    """A part's references as another committed part file recorded them (a row of its main run, the
    same seeds), so that a part does not need the comparison's runs again in a later session; None
    when no part file has them. They hold while the runs reproduce: ablations.sh reruns the scratch
    baseline's first seed (references_plan), which `collect` requires to match the record
    (check_reproduced)."""
    spec = PARTS[part]
    for other in ORDER:
        path = os.path.join(folder, f"{other}.json")
        if other == part or not os.path.exists(path):
            continue
        record = load(path)
        mains = [row for row in record.get("rows", []) if row["name"] == spec["main"][0]]
        if (not mains or record["seeds"] != seeds or "scratchLearningRate" not in record
                or (part.startswith("cgm-") and "copy" not in record)):
            continue
        references = {"references": f"as {other}.json recorded them (measured {record['written']}; the scratch "
                                    f"baseline's seed {seeds[0]} rerun {datetime.date.today().isoformat()}: the same top-1)",
                      "scratch": record["scratch"], "scratchLearningRate": record["scratchLearningRate"],
                      "main": [dict(mains[0], label=spec["main"][1])]}
        if "copy" in record:
            references["copy"] = record["copy"]
        return references
    return None


def part_references(args, part, seeds):
    """comparison_references, else recorded_references checked against a rerun; exits when neither."""
    found = comparison_references(args, part, seeds)
    if found is None:
        found = recorded_references(args.parts, part, seeds)
        if found is None:
            first = f"part {PARTS[part]['mainPart']}" if "mainPart" in PARTS[part] else "Tools/results/comparison.sh"
            sys.exit(f"{part}: the runs it is measured against are neither in {args.results} and {args.runs} nor recorded "
                     f"in {args.parts}: run {first} first")
        check_reproduced(args.results, PARTS[part]["family"], seeds[0], found["scratch"]["full"][0])
    return found


def check_reproduced(results, family, seed, recorded):
    """Recorded references stand for runs that reproduce bit for bit (every generator is seeded); a rerun
    of the scratch baseline's first seed that differs means the code or the benchmark changed since."""
    run = os.path.join(results, f"full-scratch-{family}-{seed}")
    rerun = load(os.path.join(run, "evaluation.json"))["top1"]
    if rerun != recorded:
        sys.exit(f"{run}: top-1 {rerun} where the record has {recorded}: the recorded references no longer "
                 "reproduce; run Tools/results/comparison.sh (make results) and measure this part against it")


def references_plan(args):
    """For ablations.sh, one line per part named: "rerun FAMILY RATE" where another part file recorded
    its references (the scratch run check_reproduced compares), or "run INIT" for each of the
    comparison's initialisations it needs run (INITS of comparison.sh); nothing where the
    comparison's runs are there. With --check, once the reruns are done: exits unless each
    reproduces its record."""
    seeds = args.seeds.split()
    for part in args.parts_named:
        if part == "cgm-real" or comparison_references(args, part, seeds) is not None:
            continue
        spec = PARTS[part]
        record = recorded_references(args.parts, part, seeds)
        if record is not None and args.check:
            check_reproduced(args.results, spec["family"], seeds[0], record["scratch"]["full"][0])
        elif record is not None:
            print("rerun", spec["family"], record["scratchLearningRate"])
        else:
            print("run", f"scratch-{spec['family']}")
            # A -longer part's main run is the cgm-longer part's, measured against the comparison's cgm.
            print("run", PARTS[spec.get("mainPart", part)]["main"][0])


def localization(args):
    """Per stage: the share of Grad-CAM mass on the moving objects, masked and unmasked, and their
    difference paired by clip."""
    reports = {key: load(os.path.join(args.runs, f"localization-{name}.json"))
               for key, name in (("masked", "mosi"), ("unmasked", "mosi-unmasked"))}
    stages = []
    for index, stage in enumerate(reports["masked"]["stages"]):
        shares = {}
        for key, report in reports.items():
            shares[key] = {clip["path"]: clip["scores"]["stages"][index]["movingMass"] for clip in report["clips"]
                           if clip["scores"]["stages"][index] is not None}
        both = [path for path in shares["masked"] if path in shares["unmasked"]]
        masked, unmasked = [shares["masked"][p] for p in both], [shares["unmasked"][p] for p in both]
        low, high = stats.bootstrap_difference_ci(unmasked, masked, paired=True)
        stages.append({"stage": stage["name"], "clips": len(both), "masked": statistics.mean(masked),
                       "unmasked": statistics.mean(unmasked), "difference": [statistics.mean(masked) - statistics.mean(unmasked), low, high],
                       "area": statistics.mean(clip["scores"]["stages"][index]["movingArea"] for clip in reports["masked"]["clips"]
                                               if clip["scores"]["stages"][index] is not None)})
    return stages


def agreement(interval):
    """How a variant − main interval of top-1 stands to the paper's "variant behind"."""
    low, high = interval
    return "agrees with" if high < 0 else "disagrees with" if low > 0 else "cannot confirm or refute"


def motion_cell(values):
    low, high = stats.bootstrap_mean_ci(values)
    return f"{statistics.mean(values):.4f} [{low:.4f}, {high:.4f}]"


# A CGM-Net run has learned motion when its warp ℓ1 is below copying's by more than this share of
# copying's: the comparison's 500-step run sits 0.03 % below (0.0355), which is copying.
COPYING_MARGIN = 0.01


def against_copying(row, copy):
    """Mean warp ℓ1 of a CGM-Net run minus copying's, its interval paired by clip, and whether the
    run is below copying by more than COPYING_MARGIN (the whole interval)."""
    low, high = stats.bootstrap_difference_ci(copy["l1"], row["motion"]["l1"], paired=True)
    return (statistics.mean(row["motion"]["l1"]) - statistics.mean(copy["l1"]), low, high,
            high < -COPYING_MARGIN * statistics.mean(copy["l1"]))


def copying_verdict(low, below):
    return "below copying" if below else "worse than copying" if low > 0 else "no better than copying"


def copying_note(data, main, row):
    """For a CGM-Net pair: which of the two runs does not warp below copying the previous frame (then
    the pair ablates no learned motion); None when both do, or outside CGM-Net."""
    if "copy" not in data:
        return None
    main_below, row_below = (against_copying(r, data["copy"])[3] for r in (main, row))
    if main_below and row_below:
        return None
    if not (main_below or row_below):
        return "neither run warps below copying the previous frame"
    return f"the {'variant' if main_below else 'main run'} does not warp below copying the previous frame"


def chance_note(data, main, row):
    """Which of the two runs does not fine-tune above chance (its interval over seeds reaching down to
    chance; then the pair ranks nothing downstream); None when both do, or where the part file has
    no chance recorded."""
    if "chance" not in data:
        return None
    main_above, row_above = (stats.bootstrap_mean_ci(r["full"])[0] > data["chance"] for r in (main, row))
    if main_above and row_above:
        return None
    who = "neither run fine-tunes" if not (main_above or row_above) else \
        f"the {'variant' if main_above else 'main run'} does not fine-tune"
    return f"{who} above chance ({pct(data['chance'])} %)"


def against_paper(data, main, row, interval, direction, recognition=True):
    """How a variant − main interval stands to the paper, which has the variant `direction` ("behind":
    the interval below zero); no verdict where a CGM-Net run of the pair learned no motion, or, for
    recognition, where a run of the pair does not fine-tune above chance."""
    note = copying_note(data, main, row) or (chance_note(data, main, row) if recognition else None)
    if note is not None:
        return f"no test of the paper, which has it {direction}: {note}"
    return f"{agreement(interval)} the paper, which has it {direction}"


def real_motion_findings(per_clip):
    """CGM-Net's warp ℓ1 on real clips against copying the previous frame and against the best flow,
    paired by clip: has it learned motion at all, and does it beat optical flow (CGM-Net Table 1)?"""
    flows = [m for m in per_clip if m not in ("copy", "cgm-net")]
    best = min(flows, key=lambda m: statistics.mean(per_clip[m]["l1"]))
    findings = []
    for other, name in (("copy", "copying the previous frame"), (best, f"{best} (the best flow)")):
        low, high = stats.bootstrap_difference_ci(per_clip[other]["l1"], per_clip["cgm-net"]["l1"], paired=True)
        mean = statistics.mean(per_clip["cgm-net"]["l1"]) - statistics.mean(per_clip[other]["l1"])
        verdict = "CGM-Net ahead" if high < 0 else "CGM-Net behind" if low > 0 else "not told apart"
        findings.append(f"CGM-Net − {name}: {mean:+.4f} [{low:+.4f}, {high:+.4f}], {verdict}")
    return findings


def conclusions(parts):
    """One line per measured variant: its full fine-tuning against the main run, and where the paper
    puts it; a CGM-Net run that does no better than copying says so."""
    lines = ["## What the ablations show", "",
             "Full fine-tuning top-1 of each variant against its part's main run (points, paired by seed, 95 % "
             "bootstrap interval), and the paper's direction; details and the linear probe in each part below.", ""]
    for part, data in parts:
        if part == "cgm-real":
            lines.append(f"- CGM-Net trained on real video, warp ℓ1 on held-out real clips: "
                         + "; ".join(real_motion_findings(data["motion"]["perClip"]))
                         + " (CGM-Net Table 1 has CGM-Net ahead of every flow).")
            continue
        main = data["rows"][0]
        for row in data["rows"][1:]:
            text, interval = difference_cell(main["full"], row["full"])
            line = f"- {PARTS[part]['title'].split(':')[0]}, {row['label']}: {text}"
            note = copying_note(data, main, row)
            if paper_name(row["name"]) in PAPER_BEHIND:
                line += f" — {against_paper(data, main, row, interval, 'behind')}"
            elif note is not None:
                line += f"; {note}"
            lines.append(line + ".")
    if len(lines) == 4:
        lines.append("- No part measured yet.")
    return lines + [""]


def part_section(spec, data):
    lines = [f"## {spec['title']}\n"]
    if data["part"] == "cgm-real":
        motion, p = data["motion"], data["pretraining"]
        geometry = motion["geometry"]
        lines.append(f"configs/cgm/tiny_cpu.yaml on the real videos of `make testdata` ({p['steps']} steps × {p['clipsPerStep']} "
                     f"clips, {p['minutes']:.0f} min; {p['pretext']}), scored on the held-out last 20 % of every video: "
                     f"{motion['clips']} clips of {geometry['frames']} + 1 frames {geometry['stride']} apart at {geometry['crop']}². "
                     "[95 % bootstrap interval over clips]\n")
        lines += ["| method | warp ℓ1 ↓ | next-frame PSNR (dB) ↑ | next-frame SSIM ↑ |", "|---|---|---|---|"]
        for row in motion["rows"]:
            lines.append(f"| {row['method']} | " + " | ".join(
                f"{row[m]['mean']:.{d}f} [{row[m]['low']:.{d}f}, {row[m]['high']:.{d}f}]" for m, d in (("l1", 4), ("psnr", 2), ("ssim", 4))) + " |")
        lines += [""] + [f"- {line}." for line in real_motion_findings(motion["perClip"])]
        lines += ["", f"The paper: {spec['paper']}", f"\n_Measured {data['written']}._\n"]
        return lines
    seeds = data["seeds"]
    rows = data["rows"]
    main = rows[0]
    lines.append(f"Top-1 (%) on the motion benchmark, mean ± std over seeds {', '.join(seeds)} [95 % bootstrap interval]; "
                 "differences in points, paired by seed. Each variant pretrained once (seed 0) with its main run's "
                 "recipe and one change; the scratch and main rows are "
                 f"{data.get('references', DEFAULT_REFERENCES)}.\n")
    header = "| variant | pretraining | full fine-tuning | − main | linear probe | − main |"
    divider = "|---|---|---|---|---|---|"
    if "copy" in data:
        header += " warp ℓ1 on the test clips ↓ |"
        divider += "---|"
    lines += [header, divider]
    scratch = data["scratch"]
    lines.append(f"| scratch (tuned) | – | {mean_cell(scratch['full'])} | {difference_cell(main['full'], scratch['full'])[0]} | "
                 f"{mean_cell(scratch['linear'])} | {difference_cell(main['linear'], scratch['linear'])[0]} |"
                 + (f" copying: {motion_cell(data['copy']['l1'])} |" if "copy" in data else ""))
    verdicts = []
    for row in rows:
        p = row["pretraining"]
        cells = [row["label"], f"{p['steps']} steps, {p['minutes']:.1f} min; {p['pretext']}", mean_cell(row["full"])]
        if row is main:
            cells += ["–", mean_cell(row["linear"]), "–"]
        else:
            full_text, full_interval = difference_cell(main["full"], row["full"])
            linear_text, linear_interval = difference_cell(main["linear"], row["linear"])
            cells += [full_text, mean_cell(row["linear"]), linear_text]
            verdicts.append(f"- {row['label']} against {main['label'].split(' (')[0]}: full fine-tuning "
                            f"{verdict(full_interval).replace('ahead', 'the variant ahead').replace('behind', 'the variant behind')}; "
                            f"linear probe {verdict(linear_interval).replace('ahead', 'the variant ahead').replace('behind', 'the variant behind')}"
                            + (f" — full fine-tuning: {against_paper(data, main, row, full_interval, 'behind')}."
                               if paper_name(row["name"]) in PAPER_BEHIND else "."))
        if "copy" in data:
            cells.append(motion_cell(row["motion"]["l1"]))
        lines.append("| " + " | ".join(cells) + " |")
    lines += [""] + verdicts
    if "copy" in data:
        for row in rows[1:]:
            low, high = stats.bootstrap_difference_ci(main["motion"]["l1"], row["motion"]["l1"], paired=True)
            mean = statistics.mean(row["motion"]["l1"]) - statistics.mean(main["motion"]["l1"])
            line = (f"- warp ℓ1, {row['label']} − main, paired by clip: {mean:+.4f} [{low:+.4f}, {high:+.4f}] — "
                    f"{'the variant better' if high < 0 else 'the main run better' if low > 0 else 'not told apart'}")
            if paper_name(row["name"]) in PAPER_WARP:
                # against_paper() reads its direction as an interval below zero: a lower error here.
                expected = PAPER_WARP[paper_name(row["name"])]
                interval = (low, high) if expected == "lower" else (-high, -low)
                line += f"; {against_paper(data, main, row, interval, expected, recognition=False)}"
            lines.append(line + ".")
        lines += ["", "Did each run learn motion? Its warp ℓ1 minus copying the previous frame's, paired by clip; below "
                  f"copying means by more than {COPYING_MARGIN:.0%} of copying's ℓ1 over the whole interval. A run that is "
                  "not has ablated nothing of CGM-Net's motion, whatever its top-1:", ""]
        for row in rows:
            mean, low, high, below = against_copying(row, data["copy"])
            lines.append(f"- {row['label']}: {mean:+.4f} [{low:+.4f}, {high:+.4f}] — {copying_verdict(low, below)}.")
    if "localization" in data:
        lines += ["", "Where the pretrained backbones look (MoSI Fig. 4): the share of Grad-CAM mass on the moving objects "
                  "of the test clips (%), static mask against none, paired by clip [95 % bootstrap interval]:", ""]
        for stage in data["localization"]:
            mean, low, high = stage["difference"]
            lines.append(f"- {stage['stage']}: {pct(stage['masked'])} masked, {pct(stage['unmasked'])} unmasked "
                         f"(their area: {pct(stage['area'])}); difference {100 * mean:+.1f} [{100 * low:+.1f}, {100 * high:+.1f}] "
                         f"points over {stage['clips']} clips")
    lines += ["", f"The paper: {spec['paper']}", f"\n_Measured {data['written']}._\n"]
    return lines


def page(args):
    lines = ["# Ablations", "",
             "The papers' ablations at CPU scale, on the benchmark, models and protocols of the comparison",
             "(docs/results.md, whose scratch baselines and main runs are the references here). Written by",
             "`make results-ablations` (Tools/results/ablations.sh) from the parts in docs/results/ablations/, each",
             "written once all its runs finished (a stopped pretraining continues from its checkpoint); a part not",
             "measured yet says so. What these cannot show is what the",
             "comparison cannot (its last section): scale, real actions, pretraining variance. With 3 seeds an",
             "interval describes the seeds, not a guarantee. A part whose references no earlier part recorded",
             "reruns them with the comparison's commands; float sums differ with the thread count, so those rows",
             "can differ a little from docs/results.md's. mme-targets and cgm-real ran side by side with one thread",
             "a process: their pretraining minutes are not those of one run on two cores.", ""]
    measured = [(part, load(os.path.join(args.folder, f"{part}.json"))) for part in ORDER
                if os.path.exists(os.path.join(args.folder, f"{part}.json"))]
    lines += conclusions(measured)
    for part in ORDER:
        data = dict(measured).get(part)
        if data is not None:
            lines += part_section(PARTS[part], data)
        else:
            lines += [f"## {PARTS[part]['title']}\n", f"Not measured yet: `Tools/results/ablations.sh {part}` "
                      "(or `make results-ablations`, which runs every part not measured yet).\n"]
    print("\n".join(lines))


def main():
    parser = argparse.ArgumentParser()
    commands = parser.add_subparsers(dest="command", required=True)
    c = commands.add_parser("collect")
    c.add_argument("part", choices=ORDER)
    c.add_argument("--runs", default="runs/ablations")
    c.add_argument("--results", default="runs/results")
    c.add_argument("--seeds", default="0 1 2")
    c.add_argument("--parts", default="docs/results/ablations", help="the committed part files (recorded references)")
    r = commands.add_parser("references-plan")
    r.add_argument("parts_named", nargs="*", metavar="part")  # ablations.sh checks the names
    r.add_argument("--results", default="runs/results")
    r.add_argument("--runs", default="runs/ablations")
    r.add_argument("--seeds", default="0 1 2")
    r.add_argument("--parts", default="docs/results/ablations")
    r.add_argument("--check", action="store_true", help="check the reruns against the records")
    p = commands.add_parser("page")
    p.add_argument("folder")
    args = parser.parse_args()
    if args.command == "collect":
        print(json.dumps(collect(args), indent=1))
    elif args.command == "references-plan":
        references_plan(args)
    else:
        page(args)


if __name__ == "__main__":
    main()
