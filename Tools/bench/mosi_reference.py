"""Speed of the OFFICIAL MoSI generator (TAdaConv's `MoSIGenerator`), for `kinema-bench --only mosi`.

The official code is never part of this repository: pass the path of a local copy of
https://github.com/alibaba-mmai-research/TAdaConv (the snapshot docs/reference-implementations.md describes is 75b7839).
It needs torch/torchvision, `pyyaml` (its configs) and `simplejson` (its logging module); see Tools/fixtures/requirements.txt.

The generator is built from the repository's own configs (configs/pool/base.yaml merged with
configs/pool/run/training/mosi.yaml: 9 classes, 16 × 112², standard size 320, static mask [0.3, 0.5],
flip, ColorJitter with grayscale p = 0.3) and fed in-memory 320 × 320 uint8 frames, as the dataset
hands it one decoded frame. Nothing in its code is changed; `--color-jitter original` only sets the
probability attribute of its ColorJitter object to 1, which is what the 2021 code (fa78f82) did
unconditionally (docs/reference-implementations.md §0 item 2).

Threads: `--mode inprocess` runs one process with torch.set_num_threads(threads); `--mode workers`
runs `threads` processes with one torch thread each (how a DataLoader with `threads` workers runs it).

Each process makes `--repeats` timed passes over its images and keeps the fastest (the machine may be
shared). Prints one JSON line: {"images_per_s", "clips_per_s", "seconds_per_image",
"images_per_s_collated" (also stacking batches of `--batch` videos into (9B, 3, 16, 112, 112) as the
DataLoader's default collate does), ...}. Usage:
    mosi_reference.py --tadaconv /tmp/tada --threads 2 [--images 60] [--mode workers] [--color-jitter head]
"""
import argparse
import json
import multiprocessing as mp
import os
import sys
import time
import types
import warnings


def attributes(tree):
    """The config as nested attribute objects, which is all the generator reads (`cfg.PRETRAIN.X`).
    TAdaConv's own Config class would also import its OSS bucket client (`oss2`), unused here."""
    if isinstance(tree, dict):
        return types.SimpleNamespace(**{k: attributes(v) for k, v in tree.items()})
    return tree


def build_generator(tadaconv, split="train", color_jitter="head"):
    sys.path.insert(0, tadaconv)
    warnings.filterwarnings("ignore")  # torchvision's deprecation warnings for _functional_video
    import yaml
    from tadaconv.sslgenerators.mosi.mosi_generator import MoSIGenerator

    def merge(base, new):
        for key, value in new.items():
            if isinstance(value, dict) and isinstance(base.get(key), dict):
                merge(base[key], value)
            else:
                base[key] = value
        return base

    with open(os.path.join(tadaconv, "configs/pool/base.yaml")) as f:
        cfg = yaml.safe_load(f)
    with open(os.path.join(tadaconv, "configs/pool/run/training/mosi.yaml")) as f:
        merge(cfg, yaml.safe_load(f))
    generator = MoSIGenerator(attributes(cfg), split)
    if color_jitter == "original":
        for t in generator.transform.transforms:
            if type(t).__name__ == "ColorJitter":
                t.color = 1.0
    return generator


def frames(count, size, seed):
    import torch

    g = torch.Generator().manual_seed(seed)
    return [torch.randint(0, 256, (1, size, size, 3), generator=g, dtype=torch.uint8) for _ in range(count)]


def run_worker(args, threads, count, seed, repeats=1, batch=8):
    import random

    import torch

    torch.set_num_threads(threads)
    random.seed(seed)
    torch.manual_seed(seed)
    generator = build_generator(args.tadaconv, args.split, args.color_jitter)
    images = frames(count, args.size, seed)
    for image in images[: args.warmup]:
        generator({"video": image}, 0)
    best = None
    for _ in range(repeats):
        start = time.perf_counter()
        outputs = []
        for i, image in enumerate(images):
            data, labels = generator({"video": image}, i)
            outputs.append(data["video"])
        generated = time.perf_counter() - start
        # What the DataLoader's default collate then does with a batch: stack, (B, 9, ...) → (9B, ...).
        for b in range(0, len(outputs), batch):
            torch.stack(outputs[b:b + batch]).flatten(0, 1)
        collated = time.perf_counter() - start
        if best is None or generated < best[0]:
            best = (generated, collated)
    clips = len(images) * outputs[0].shape[0]
    return best[0], best[1], len(images), clips, tuple(outputs[0].shape)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--tadaconv", required=True, help="path of a TAdaConv checkout (work tree)")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--images", type=int, default=60, help="source images per process")
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--size", type=int, default=320)
    parser.add_argument("--split", default="train")
    parser.add_argument("--mode", choices=["inprocess", "workers"], default="inprocess")
    parser.add_argument("--color-jitter", choices=["head", "original"], default="head")
    parser.add_argument("--repeats", type=int, default=3, help="timed passes over the images; the fastest counts")
    parser.add_argument("--batch", type=int, default=8, help="source images per collated batch")
    args = parser.parse_args()
    if not os.path.isfile(os.path.join(args.tadaconv, "tadaconv/sslgenerators/mosi/mosi_generator.py")):
        sys.exit(f"{args.tadaconv} is not a TAdaConv work tree (no tadaconv/sslgenerators/mosi/mosi_generator.py)")

    if args.mode == "inprocess":
        results = [run_worker(args, args.threads, args.images, 0, args.repeats, args.batch)]
    else:
        with mp.get_context("spawn").Pool(args.threads) as pool:
            results = pool.starmap(
                run_worker, [(args, 1, args.images, seed, args.repeats, args.batch) for seed in range(args.threads)])
    # Workers run side by side: throughput is the sum of their rates.
    rate = sum(r[2] / r[0] for r in results)
    collated_rate = sum(r[2] / r[1] for r in results)
    clips_per_image = results[0][3] / results[0][2]
    print(json.dumps({
        "case": "mosi", "mode": args.mode, "threads": args.threads, "color_jitter": args.color_jitter,
        "images": sum(r[2] for r in results), "clip_shape": list(results[0][4]),
        "images_per_s": rate, "clips_per_s": rate * clips_per_image, "seconds_per_image": 1 / rate,
        "images_per_s_collated": collated_rate,
    }))


if __name__ == "__main__":
    main()
