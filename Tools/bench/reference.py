"""PyTorch reference for `make bench`: the same measurements Kinema's bench makes, in eager PyTorch
with its defaults (default allocator, contiguous NCDHW layout), so ratios are taken in one run.

Prints one JSON object per line on stdout. Usage:
    reference.py overhead --threads 2
    reference.py step --model r3d_18 --batch 9 --frames 16 --size 112 --steps 3 --threads 2
"""
import argparse
import json
import os
import sys
import time

import torch
import torchvision
from torch.utils.flop_counter import FlopCounterMode


def overhead(args):
    a = torch.ones(4)
    b = torch.ones(4)
    for _ in range(1000):
        a + b
    n = args.ops
    start = time.perf_counter()
    for _ in range(n):
        a + b
    elapsed = time.perf_counter() - start
    print(json.dumps({"case": "overhead", "us_per_op": elapsed / n * 1e6}))


def build(name, classes):
    factory = {"r3d_18": torchvision.models.video.r3d_18, "r2plus1d_18": torchvision.models.video.r2plus1d_18}
    if name in factory:
        return factory[name](num_classes=classes)
    # MoSI's backbones in the official layout, as the parity fixtures build them.
    sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "fixtures"))
    import gen_models
    return gen_models.MoSIModel(name, 64, classes)


def step_time(args):
    torch.manual_seed(0)
    model = build(args.model, args.classes)
    model.train()
    optimizer = torch.optim.AdamW(model.parameters(), lr=1e-3, weight_decay=1e-4)
    x = torch.randn(args.batch, 3, args.frames, args.size, args.size)
    y = torch.arange(args.batch) % args.classes

    def step():
        optimizer.zero_grad()
        loss = torch.nn.functional.cross_entropy(model(x), y)
        loss.backward()
        optimizer.step()
        return loss

    # FLOPs of forward + backward, counted by PyTorch on the same model and input.
    with FlopCounterMode(display=False) as counter:
        loss = torch.nn.functional.cross_entropy(model(x), y)
        loss.backward()
    flops = counter.get_total_flops()
    optimizer.zero_grad()
    for _ in range(args.warmup):
        step()
    times = []
    for _ in range(args.steps):
        start = time.perf_counter()
        step()
        times.append(time.perf_counter() - start)
    times.sort()
    print(json.dumps({"case": "step", "model": args.model, "seconds": times[len(times) // 2],
                      "all": times, "flops": flops}))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("what", choices=["overhead", "step"])
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--ops", type=int, default=10000)
    parser.add_argument("--model", default="r3d_18")
    parser.add_argument("--batch", type=int, default=9)
    parser.add_argument("--frames", type=int, default=16)
    parser.add_argument("--size", type=int, default=112)
    parser.add_argument("--classes", type=int, default=9)
    parser.add_argument("--steps", type=int, default=3)
    parser.add_argument("--warmup", type=int, default=1)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    {"overhead": overhead, "step": step_time}[args.what](args)


if __name__ == "__main__":
    main()
