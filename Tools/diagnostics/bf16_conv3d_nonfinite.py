"""Shows that PyTorch itself, not only Kinema, gets non-finite conv3d weight gradients under
bfloat16 autocast on the CPU with oneDNN's kernels, from the same weights and input, in some of
several identical backward passes (docs/scaling.md, "Mixed precision", known problem).

    # a Kinema run that diverges, with a checkpoint every step:
    kinema mosi pretrain --config configs/mosi/tiny_cpu.yaml --set data.source=.deps/data/photos-demo \\
        --precision bf16 --threads 1 --set steps=6 --set run.checkpointEvery=1 --set run.keepCheckpointEvery=1 \\
        --output /tmp/bf16-run
    .deps/pyref/bin/python Tools/diagnostics/bf16_conv3d_nonfinite.py /tmp/bf16-run/checkpoints/step-00000005.safetensors

It loads the checkpoint's weights into torchvision's r3d_18 layout at width 8 (Tools/fixtures/
gen_models.py, the layout Kinema's r3d_18_tiny shares), makes one MoSI-like batch (grayscale,
static background, a moving crop) and runs the same backward pass 10 times in each setting,
counting the passes with a non-finite weight gradient. gen_models' import turns PyTorch's
deterministic algorithms on, as in the fixtures; with them off no failure showed in one run of 10
passes. Measured 2026-12-03 (torch 2.11.0, 1 thread, AMD EPYC with AVX-512 BF16), two runs: bf16
with oneDNN 2 and 1 of 10 passes (layer3.0.conv2, layer3.1.conv1), bf16 without oneDNN 0 of 10,
fp32 0 of 10.
"""
import os
import sys

import torch
from safetensors.torch import load_file

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "fixtures"))
import gen_models  # noqa: E402


def main():
    torch.set_num_threads(1)
    saved = load_file(sys.argv[1])
    model = gen_models.torchvision_model("r3d_18", 8, 9)
    model.load_state_dict({k[len("model."):]: v for k, v in saved.items() if k.startswith("model.")})
    model = model.to(memory_format=torch.channels_last_3d).train()
    torch.manual_seed(0)
    frames = torch.rand(18, 1, 1, 64, 64).expand(18, 1, 8, 64, 64).clone() * 0.2 + 0.6
    for t in range(8):
        frames[:, :, t, 16:48, 8 + 2 * t:40 + 2 * t] = torch.rand(18, 1, 32, 32)
    x = ((frames - 0.45) / 0.225).expand(18, 3, 8, 64, 64).contiguous(memory_format=torch.channels_last_3d)
    y = torch.arange(18) % 9

    def non_finite(autocast, onednn):
        torch.backends.mkldnn.enabled = onednn
        model.zero_grad()
        with torch.autocast("cpu", dtype=torch.bfloat16, enabled=autocast):
            loss = torch.nn.functional.cross_entropy(model(x), y)
        loss.backward()
        return [n for n, p in model.named_parameters() if not torch.isfinite(p.grad).all()]

    for label, autocast, onednn in [("bf16, oneDNN", True, True), ("bf16, no oneDNN", True, False),
                                    ("fp32, oneDNN", False, True)]:
        runs = [non_finite(autocast, onednn) for _ in range(10)]
        print(f"{label}: {sum(1 for r in runs if r)} of 10 backward passes with a non-finite gradient "
              f"{sorted({n for r in runs for n in r})}")


if __name__ == "__main__":
    main()
