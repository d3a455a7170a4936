"""CGM-Net's training step in PyTorch eager for `kinema-bench --only step --sizes cgm` (reference.py's
`cgm` command): the network of the parity fixtures (Tools/fixtures/gen_cgm.py: its CGMNet, i.e.
torchvision's r3d_18 encoder, the decoder, the ResNet-18 context extractor, and its loss cgm_loss,
L_HR + L_LR with mean Charbonnier terms) at the default configuration (r = 4, k = 3, k̂ = 9,
decoder [256, 128, 128], context width 64, softmax filters), trained with Adam (lr 1e-3, β (0.9,
0.999), no weight decay: configs/cgm's and CGMPretrainConfig's defaults) on a fixed random batch.

Formulation: the fixtures state Eqs. 1 and 2 literally, a loop over the k² taps whose maps are
picked with `maps[:, i]` (their backward writes k² zero-filled map-sized gradients: at the bench's
L_HR shape, 81 × 260 MB), and Eq. 5 as an index loop after re-ordering the convolution's rows
every step. That is a check of the equations, not what a PyTorch user writes for speed, so the
bench swaps in what Kinema runs (Sources/KinemaModels/CGM):
  * Eq. 1 (L_HR, L_LR and Eq. 2's inner sum): shift and accumulate, `synthesise` below: pad once,
    `unbind` the maps along the taps, multiply each tap by a strided window of the padded frames,
    sum in tap order (MotionMapSynthesis.swift explains why not `F.unfold`);
  * CGMUL (Eqs. 2-5): S = mean_c(F_motion · Eq. 1(F_context)), the concatenation, the 3 × 3 conv
    and `F.pixel_shuffle` (the conv's rows in pixel_shuffle's order, Kinema's).
Same shapes and ops on both sides; the initialisations differ (not needed for speed).
"""
import math

import torch
import torch.nn.functional as F
from torch.utils.flop_counter import FlopCounterMode

import gen_cgm

# CGMNetConfiguration()'s defaults with r3d_18's 400-way head (unused by the loss, as in Kinema).
DEFAULT = dict(width=64, classes=400, scale=4, k=3, khat=9, decoder_channels=[256, 128, 128], context_width=64)


def synthesise(frames, maps):
    """Eq. 1 by shift and accumulate: frames [N, C, H, W], maps [N, k², H, W] (tap (m, n) in channel
    (n + r)·k + (m + r), reading X(x − m, y − n)) → [N, C, H, W]; equal to gen_cgm.synthesise."""
    h, w = frames.shape[-2:]
    k = math.isqrt(maps.shape[1])
    r = k // 2
    padded = F.pad(frames, (r, r, r, r))
    taps = maps.unbind(1)
    out = None
    for n in range(-r, r + 1):
        rows = padded[..., r - n:r - n + h, :]
        for m in range(-r, r + 1):
            term = taps[(n + r) * k + (m + r)].unsqueeze(1) * rows[..., r - m:r - m + w]
            out = term if out is None else out + term
    return out


class CGMUL(gen_cgm.CGMUL):
    """Eqs. 2-5 as Kinema's ContextGuidedUpsampling computes them (same parameters as the fixtures')."""

    def forward(self, context, motion, maps):
        s = (motion * synthesise(context, maps)).mean(1, keepdim=True)
        f = torch.cat([context, motion, s, s * context, s * motion], 1)
        return F.pixel_shuffle(self.conv(f), self.r)


class CGMCase:
    """CGM-Net's step on `batch` clips of `frames` + 1 frames of size² in [-1, 1]: the network on the
    first `frames`, the loss against frames 1…`frames`, backward, Adam. `layout` channels_last puts
    the 5-D weights and the clip in channels_last_3d and the 4-D weights (context extractor, CGMUL)
    in channels_last; the per-frame views of a channels_last_3d clip are channels_last."""

    def __init__(self, batch, frames, size, layout):
        torch.manual_seed(0)
        self.layout, self.frames = layout, frames
        self.model = gen_cgm.CGMNet(**DEFAULT)
        self.model.upsampler = CGMUL(2 * DEFAULT["context_width"], DEFAULT["scale"], DEFAULT["khat"])
        self.x = torch.rand(batch, 3, frames + 1, size, size) * 2 - 1
        if layout == "channels_last":
            with torch.no_grad():
                for p in self.model.parameters():
                    if p.dim() in (4, 5):
                        p.data = p.data.contiguous(
                            memory_format=torch.channels_last if p.dim() == 4 else torch.channels_last_3d)
            self.x = self.x.contiguous(memory_format=torch.channels_last_3d)
        self.model.train()
        self.optimizer = torch.optim.Adam(self.model.parameters(), lr=1e-3, betas=(0.9, 0.999), weight_decay=0)

    def step(self):
        self.optimizer.zero_grad()
        lr, hr = self.model(self.x[:, :, :self.frames])
        gen_cgm.cgm_loss(lr, hr, self.x, DEFAULT["scale"], synthesis=synthesise)[-1].backward()
        self.optimizer.step()

    def flops(self):
        """FLOPs of forward + backward, counted by PyTorch in one (untimed) step."""
        with FlopCounterMode(display=False) as counter:
            self.step()
        return counter.get_total_flops()
