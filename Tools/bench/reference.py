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
    mae MODEL BATCH FRAMES SIZE RATIO      → the same for VideoMAE's masked-autoencoder step of a ViT
                                             (tube mask at RATIO, pixel target normalised per patch)
    finetune MODEL BATCH FRAMES SIZE CLASSES → the same for a ViT classifier's fine-tuning step
    cgm BATCH FRAMES SIZE                  → the same for CGM-Net's step (Tools/bench/cgm_reference.py:
                                             FRAMES + 1 frames of SIZE², L_HR + L_LR, Adam)
    steps N                                → seconds of N training steps (forward, backward, optimizer)
    memory                                 → the process's resident memory now (VmRSS) and its peak
                                             so far (VmHWM), bytes
    quit
"""
import json
import os
import sys
import time

import torch
import torchvision
from torch.nn.attention import SDPBackend, sdpa_kernel
from torch.utils.flop_counter import FlopCounterMode

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "fixtures"))
# The parity fixtures' builders of MoSI's backbones and the width-8 variants. Importing them pins
# one thread and deterministic algorithms (what the fixtures need): main() sets both back.
import gen_models  # noqa: E402
# CGM-Net's step; imports the fixtures' gen_cgm, which pins the same two settings.
import cgm_reference  # noqa: E402


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


# VideoMAE's ViTs as Kinema registers them (Sources/KinemaModels/ModelName.swift: width, depth; 64
# channels a head) and their pretraining decoders (VideoMAEDecoderConfiguration.videoMAE(for:):
# width, depth, heads).
VIT_SIZES = {"vit_s_16": (384, 12), "vit_b_16": (768, 12), "vit_l_16": (1024, 24), "vit_s_16_tiny": (192, 4)}
VIT_DECODERS = {"vit_s_16": (192, 4, 3), "vit_b_16": (384, 4, 6), "vit_l_16": (512, 4, 8), "vit_s_16_tiny": (96, 2, 3)}


def videomae_config(name, frames, size, **extra):
    """transformers' VideoMAEConfig of a registered ViT in VideoMAE's layout (LayerNorm eps 1e-6, q/v
    biases, exact GELU, no dropout) with attention through F.scaled_dot_product_attention ("sdpa",
    also transformers' default; on CPU its flash kernel), as Kinema's attention."""
    from transformers import VideoMAEConfig  # only the ViT rows need transformers
    width, depth = VIT_SIZES[name]
    return VideoMAEConfig(
        image_size=size, patch_size=16, num_channels=3, num_frames=frames, tubelet_size=2, hidden_size=width,
        num_hidden_layers=depth, num_attention_heads=width // 64, intermediate_size=4 * width, qkv_bias=True,
        layer_norm_eps=1e-6, hidden_act="gelu", attn_implementation="sdpa", **extra)


class ViTCase(Case):
    """A ViT's training step on a fixed random clip batch, in transformers' VideoMAE classes — an
    implementation we did not write, the one Kinema's parity tests (Tools/fixtures/gen_vit.py) check
    the same layout against, and the model a PyTorch user would pick up; with SDPA attention it is
    also PyTorch at its fastest eager (VideoMAE's own modeling code writes the softmax out by hand).
    The clip is made [N, C, T, H, W] contiguous and handed over as the [N, T, C, H, W] view that
    transformers takes, so its Conv3d sees the contiguous clip that Kinema's does.

      * `mae`: VideoMAEForPreTraining (encoder on the visible tokens, the decoder, the loss
        on the masked tokens with the pixel target normalised per patch, norm_pix_loss, which the
        model computes itself), AdamW β (0.9, 0.95), weight decay 0.05 (VideoMAE's pretraining);
        a tube mask per clip with ⌊RATIO·H'W'⌋ masked positions in every temporal slice;
      * `finetune`: VideoMAEForVideoClassification (mean pooling + fc_norm + head), cross-entropy,
        AdamW β (0.9, 0.999), weight decay 0.05 (VideoMAE's fine-tuning; without drop path, which
        transformers does not implement — Kinema's side runs without it too).

    Kinema's ViT steps (Sources/kinema-bench/ViTTrainingStep.swift) do the same; one parameter group
    on both sides (the recipes' no-decay group changes no work that matters)."""

    def __init__(self, kind, name, batch, frames, size, argument):
        from transformers import VideoMAEForPreTraining, VideoMAEForVideoClassification
        torch.manual_seed(0)
        self.layout = "contiguous"
        clip = torch.randn(batch, 3, frames, size, size)
        self.x = clip.permute(0, 2, 1, 3, 4)
        if kind == "mae":
            width, depth, heads = VIT_DECODERS[name]
            config = videomae_config(
                name, frames, size, use_mean_pooling=False, norm_pix_loss=True, decoder_hidden_size=width,
                decoder_num_hidden_layers=depth, decoder_num_attention_heads=heads, decoder_intermediate_size=4 * width)
            self.model = VideoMAEForPreTraining(config)
            betas = (0.9, 0.95)
            grid, slices = (size // 16) ** 2, frames // 2
            masked = int(argument * grid)
            rows = []
            for _ in range(batch):
                row = torch.zeros(grid, dtype=torch.bool)
                row[torch.randperm(grid)[:masked]] = True
                rows.append(row.repeat(slices))
            self.mask = torch.stack(rows)
            self.loss = lambda: self.model(pixel_values=self.x, bool_masked_pos=self.mask).loss
        else:
            classes = int(argument)
            self.model = VideoMAEForVideoClassification(videomae_config(name, frames, size, use_mean_pooling=True,
                                                                        num_labels=classes))
            betas = (0.9, 0.999)
            self.y = torch.arange(batch) % classes
            self.loss = lambda: torch.nn.functional.cross_entropy(self.model(pixel_values=self.x).logits, self.y)
        assert self.model.config._attn_implementation == "sdpa"
        self.model.train()
        self.optimizer = torch.optim.AdamW(self.model.parameters(), lr=1e-4, betas=betas, weight_decay=0.05)

    def step(self):
        self.optimizer.zero_grad()
        self.loss().backward()
        self.optimizer.step()

    def flops(self):
        """FLOPs of forward + backward, counted in one untimed step on SDPA's maths backend: the
        counter does not see inside the CPU flash kernel, but counts the maths backend's matmuls."""
        with sdpa_kernel(SDPBackend.MATH):
            return super().flops()


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


def memory():
    """{"rss": VmRSS, "peak": VmHWM} of this process, bytes (Linux's /proc/self/status)."""
    values = {}
    with open("/proc/self/status") as status:
        for line in status:
            key, _, rest = line.partition(":")
            if key in ("VmRSS", "VmHWM"):
                values["rss" if key == "VmRSS" else "peak"] = int(rest.split()[0]) * 1024
    return values


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
        elif command in ("case", "cgm"):
            if command == "case":
                name, batch, frames, size, classes = rest[0], *map(int, rest[1:])
                make = lambda candidate: Case(name, batch, frames, size, classes, candidate)  # noqa: E731
            else:
                batch, frames, size = map(int, rest[:3])
                make = lambda candidate: cgm_reference.CGMCase(batch, frames, size, candidate)  # noqa: E731
            case = None  # frees the previous case's model first
            # Per layout: a warm-up step (which also counts the FLOPs) and a timed step; with
            # `--layout auto` the faster layout's model stays.
            tried, flops = {}, None
            for candidate in ("contiguous", "channels_last") if layout == "auto" else (layout,):
                trial = make(candidate)
                flops = flops or trial.flops()
                tried[candidate] = timed(trial.step)
                if case is None or tried[candidate] < tried[case.layout]:
                    case = trial
                trial = None
            reply(layout=case.layout, tried=tried, flops=flops, threads=torch.get_num_threads())
        elif command in ("mae", "finetune"):
            name, batch, frames, size = rest[0], *map(int, rest[1:4])
            case = None
            case = ViTCase(command, name, batch, frames, size, float(rest[4]))
            flops = case.flops()
            case.step()  # the warm-up of the kernels timed (the counting step ran the maths backend)
            reply(layout=case.layout, tried={case.layout: timed(case.step)}, flops=flops, threads=torch.get_num_threads())
        elif command == "steps":
            reply(seconds=timed(case.step, int(rest[0])))
        elif command == "memory":
            reply(**memory())
        else:
            break


def reply(**message):
    print(json.dumps(message), flush=True)


if __name__ == "__main__":
    main()
