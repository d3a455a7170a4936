"""PyTorch side of `kinema-bench`: a long-lived process that the Swift bench drives one command at
a time over stdin/stdout (one JSON reply per line), so that Kinema's timed runs and PyTorch's
alternate in time and share whatever else the machine is doing.

The bench starts two of these:
  * PyTorch as users run it by default: glibc's allocator, contiguous NCDHW model and input;
  * PyTorch at its best on this machine: the same fp32 model with tcmalloc preloaded
    (LD_PRELOAD, set by the bench) and channels_last_3d model and input where that is faster
    (`--layout auto` times one step in each layout after a warm-up step and keeps the faster).

    reference.py --threads 2 --layout contiguous|channels_last|auto

Commands (one per line):
    hello                                  → torch version, threads, allocator
    overhead OPS                           → seconds of OPS adds of two 4-element tensors
    case MODEL BATCH FRAMES SIZE CLASSES   → builds the model, AdamW and a random batch; a warm-up
                                             step (counting FLOPs) and a timed one per layout tried
    steps N                                → seconds of N training steps (forward, backward, AdamW)
    quit
"""
import json
import os
import sys
import time

import torch
import torchvision
from torch.utils.flop_counter import FlopCounterMode

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "fixtures"))
# The parity fixtures' builders of MoSI's backbones and the width-8 variants. Importing them pins
# one thread and deterministic algorithms (what the fixtures need): main() sets both back.
import gen_models  # noqa: E402


def build(name, classes):
    """torchvision's video ResNets, their width-8 `_tiny` variants and MoSI's backbones, as the parity
    fixtures build them (Tools/fixtures/gen_models.py)."""
    factory = {"r3d_18": torchvision.models.video.r3d_18, "r2plus1d_18": torchvision.models.video.r2plus1d_18,
               "mc3_18": torchvision.models.video.mc3_18}
    if name in factory:
        return factory[name](num_classes=classes)
    if name.endswith("_tiny"):
        base = name[: -len("_tiny")]
        if base in gen_models.TORCHVISION:
            return gen_models.torchvision_model(base, 8, classes)
        return gen_models.MoSIModel(base, 8, classes)
    return gen_models.MoSIModel(name, 64, classes)


class Case:
    """One model in one layout with AdamW (lr 1e-3, weight decay 1e-4) and cross-entropy over
    `classes` classes on a fixed random batch: Kinema's TrainingStep.swift does the same."""

    def __init__(self, name, batch, frames, size, classes, layout):
        torch.manual_seed(0)
        self.layout = layout
        memory_format = torch.channels_last_3d if layout == "channels_last" else torch.contiguous_format
        self.model = build(name, classes).to(memory_format=memory_format)
        self.model.train()
        self.optimizer = torch.optim.AdamW(self.model.parameters(), lr=1e-3, weight_decay=1e-4)
        self.x = torch.randn(batch, 3, frames, size, size).contiguous(memory_format=memory_format)
        self.y = torch.arange(batch) % classes

    def step(self):
        self.optimizer.zero_grad()
        torch.nn.functional.cross_entropy(self.model(self.x), self.y).backward()
        self.optimizer.step()

    def flops(self):
        """FLOPs of forward + backward, counted by PyTorch in one (untimed) step."""
        with FlopCounterMode(display=False) as counter:
            self.step()
        return counter.get_total_flops()


def timed(body, count=1):
    start = time.perf_counter()
    for _ in range(count):
        body()
    return time.perf_counter() - start


def overhead(ops):
    """Seconds of `ops` adds of two 4-element tensors: what is timed is PyTorch's per-op dispatch
    (and the Python loop around it, as users write it)."""
    a, b = torch.ones(4), torch.ones(4)
    start = time.perf_counter()
    for _ in range(ops):
        a + b
    return time.perf_counter() - start


def allocator():
    """Which malloc this process runs on: tcmalloc only when it is mapped (LD_PRELOAD)."""
    with open("/proc/self/maps") as maps:
        return "tcmalloc" if "libtcmalloc" in maps.read() else "glibc"


def main():
    threads, layout = 2, "contiguous"
    arguments = sys.argv[1:]
    for flag, value in zip(arguments[::2], arguments[1::2]):
        if flag == "--threads":
            threads = int(value)
        elif flag == "--layout" and value in ("contiguous", "channels_last", "auto"):
            layout = value
        else:
            sys.exit(f"reference.py: unknown option {flag} {value}")
    torch.set_num_threads(threads)
    torch.use_deterministic_algorithms(False)
    case = None
    for line in sys.stdin:
        command, *rest = line.split()
        if command == "hello":
            reply(torch=torch.__version__, threads=torch.get_num_threads(), allocator=allocator(), layout=layout)
        elif command == "overhead":
            reply(seconds=overhead(int(rest[0])))
        elif command == "case":
            name, batch, frames, size, classes = rest[0], *map(int, rest[1:])
            case = None  # frees the previous case's model first
            # Per layout: a warm-up step (which also counts the FLOPs) and a timed step; with
            # `--layout auto` the faster layout's model stays.
            tried, flops = {}, None
            for candidate in ("contiguous", "channels_last") if layout == "auto" else (layout,):
                trial = Case(name, batch, frames, size, classes, candidate)
                flops = flops or trial.flops()
                tried[candidate] = timed(trial.step)
                if case is None or tried[candidate] < tried[case.layout]:
                    case = trial
                trial = None
            reply(layout=case.layout, tried=tried, flops=flops, threads=torch.get_num_threads())
        elif command == "steps":
            reply(seconds=timed(case.step, int(rest[0])))
        else:
            break


def reply(**message):
    print(json.dumps(message), flush=True)


if __name__ == "__main__":
    main()
