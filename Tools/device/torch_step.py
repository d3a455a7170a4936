"""PyTorch side of the device check's timed training steps (Tools/device/check.sh): the same two
steps as `kinema-device-check step` (Sources/kinema-device-check/Step.swift), in the models a
PyTorch user would pick up, eager, with PyTorch's AMP recipe:

  r2plus1d   torchvision's r2plus1d_18 (400 classes) on [32, 3, 16, 112, 112], cross-entropy,
             AdamW (lr 1e-3, weight decay 1e-4, fused on a GPU)
  videomae   transformers' VideoMAEForPreTraining at ViT-B (VideoMAE's layout, SDPA attention, a
             4-block decoder 384 wide) on [8, 3, 16, 224, 224] with a 90 % tube mask; the decoder's
             predictions of the masked tokens against a fixed target by mean squared error (the
             per-patch normalised pixel target is left out on both sides), AdamW β (0.9, 0.95),
             weight decay 0.05

Forward and loss under torch.autocast(dtype), backward outside it (fp16: through GradScaler).
Prints one JSON line: the median and fastest of --steps timed steps after 3 untimed ones.

    torch_step.py r2plus1d|videomae [--device cuda] [--precision bf16] [--steps 10] [--batch N]
"""
import argparse
import json
import time

import torch
import torchvision


def r2plus1d(batch, device):
    model = torchvision.models.video.r2plus1d_18(num_classes=400).to(device).train()
    optimizer = torch.optim.AdamW(model.parameters(), lr=1e-3, weight_decay=1e-4, fused=device.type == "cuda")
    x = torch.randn(batch, 3, 16, 112, 112, device=device)
    y = torch.arange(batch, device=device) % 400
    return optimizer, lambda: torch.nn.functional.cross_entropy(model(x), y)


def videomae(batch, device):
    from transformers import VideoMAEConfig, VideoMAEForPreTraining
    config = VideoMAEConfig(
        image_size=224, patch_size=16, num_channels=3, num_frames=16, tubelet_size=2, hidden_size=768,
        num_hidden_layers=12, num_attention_heads=12, intermediate_size=3072, qkv_bias=True, layer_norm_eps=1e-6,
        hidden_act="gelu", attn_implementation="sdpa", use_mean_pooling=False, decoder_hidden_size=384,
        decoder_num_hidden_layers=4, decoder_num_attention_heads=6, decoder_intermediate_size=1536)
    model = VideoMAEForPreTraining(config).to(device).train()
    optimizer = torch.optim.AdamW(model.parameters(), lr=1e-4, betas=(0.9, 0.95), weight_decay=0.05,
                                  fused=device.type == "cuda")
    pixels = torch.randn(batch, 3, 16, 224, 224, device=device).permute(0, 2, 1, 3, 4)  # [N, T, C, H, W] view
    grid, slices, masked = 196, 8, int(0.9 * 196)
    rows = []
    for _ in range(batch):
        row = torch.zeros(grid, dtype=torch.bool)
        row[torch.randperm(grid)[:masked]] = True
        rows.append(row.repeat(slices))
    mask = torch.stack(rows).to(device)
    target = torch.randn(batch, slices * masked, 1536, device=device)

    def loss():
        # VideoMAEForPreTraining.forward up to its decoder's logits (transformers 5.x), without the
        # pixel target it computes next.
        hidden = model.encoder_to_decoder(model.videomae(pixels, bool_masked_pos=mask).last_hidden_state)
        n, _, channels = hidden.shape
        positions = model.position_embeddings.expand(n, -1, -1).type_as(pixels).detach().to(device, copy=True)
        visible = positions[~mask].reshape(n, -1, channels)
        hidden_masked = positions[mask].reshape(n, -1, channels)
        full = torch.cat([hidden + visible, model.mask_token + hidden_masked], dim=1)
        logits = model.decoder(full, hidden_masked.shape[1]).logits
        return torch.nn.functional.mse_loss(logits, target)

    return optimizer, loss


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("model", choices=["r2plus1d", "videomae"])
    parser.add_argument("--device", default="cuda")
    parser.add_argument("--precision", default="bf16", choices=["fp32", "bf16", "fp16"])
    parser.add_argument("--steps", type=int, default=10)
    parser.add_argument("--batch", type=int)
    arguments = parser.parse_args()
    device = torch.device(arguments.device)
    torch.manual_seed(0)
    batch = arguments.batch or (32 if arguments.model == "r2plus1d" else 8)
    optimizer, loss = (r2plus1d if arguments.model == "r2plus1d" else videomae)(batch, device)
    dtype = {"bf16": torch.bfloat16, "fp16": torch.float16}.get(arguments.precision)
    scaler = torch.amp.GradScaler(device.type) if dtype == torch.float16 else None

    def step():
        optimizer.zero_grad()
        with torch.autocast(device.type, dtype=dtype or torch.bfloat16, enabled=dtype is not None):
            value = loss()
        if scaler is None:
            value.backward()
            optimizer.step()
        else:
            scaler.scale(value).backward()
            scaler.step(optimizer)
            scaler.update()

    def synchronize():
        if device.type == "cuda":
            torch.cuda.synchronize(device)

    for _ in range(3):
        step()
    synchronize()
    times = []
    for _ in range(arguments.steps):
        start = time.perf_counter()
        step()
        synchronize()
        times.append(time.perf_counter() - start)
    times.sort()
    print(json.dumps({"check": "step", "side": "pytorch", "model": arguments.model, "device": str(device),
                      "precision": arguments.precision, "median_ms": times[len(times) // 2] * 1000,
                      "min_ms": times[0] * 1000, "steps": arguments.steps, "torch": torch.__version__}), flush=True)


if __name__ == "__main__":
    main()
