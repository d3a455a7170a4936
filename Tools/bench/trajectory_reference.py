"""numpy reference of Kinema's dense trajectories and trajectory descriptors (KinemaMotion's
DenseTrajectories.swift, IntegralHistogram.swift, TrajectoryDescriptors.swift), for the video bench.

It does the same work with the same OpenCV calls where Kinema calls OpenCV, and vectorised numpy
where Kinema has its own loops:

- flow smoothing: `cv2.medianBlur(·, 3)` on each flow component (Kinema's kcv_flow_median3);
- tracking: a grid point every `step` px, moved L times by the smoothed flow at the nearest pixel
  (rounded half away from zero, clamped to the frame), float32 positions;
- flags: Dense Trajectories' pruning (out of frame, static, erratic, sudden jump);
- integral histograms: gradients from `cv2.Sobel(ksize=1, BORDER_REPLICATE)` (kcv_gradients), each
  vector's magnitude split linearly between its two nearest orientation bins (float64, as the shim),
  HOF's zero bin, summed into an (H+1, W+1, bins) table with two cumulative sums (rows, then
  columns, the shim's order);
- descriptors: each trajectory's patch cells read off the table with four lookups, per-step RootSIFT,
  averaged over temporal groups (float32 accumulation, as Kinema).

Results agree with Kinema's to float32 rounding (the bench compares every flag and descriptor value).
"""
import cv2
import numpy as np


def median_filtered(flow):
    """3 × 3 median of each flow component (border replicated by OpenCV)."""
    return np.dstack([cv2.medianBlur(np.ascontiguousarray(flow[..., c]), 3) for c in range(2)])


def grid(width, height, step):
    rows, cols = height // step, width // step
    y, x = np.meshgrid(np.arange(rows), np.arange(cols), indexing="ij")
    return (step // 2 + step * x).ravel().astype(np.float32), (step // 2 + step * y).ravel().astype(np.float32)


def nearest_index(v, size):
    """Swift's `Int(v.rounded())` (half away from zero) clamped to [0, size - 1]; negative values
    clamp to 0 either way, so floor(v + 0.5) in float64 (exact for float32 v) is the same."""
    return np.clip(np.floor(v.astype(np.float64) + 0.5), 0, size - 1).astype(np.intp)


def track(flows, step):
    """Positions (points, L + 1, 2) of the grid tracked through the (already smoothed) flows."""
    height, width = flows[0].shape[:2]
    x, y = grid(width, height, step)
    positions = np.empty((x.size, len(flows) + 1, 2), np.float32)
    positions[:, 0, 0], positions[:, 0, 1] = x, y
    for t, flow in enumerate(flows):
        xi, yi = nearest_index(x, width), nearest_index(y, height)
        x = x + flow[yi, xi, 0]
        y = y + flow[yi, xi, 1]
        positions[:, t + 1, 0], positions[:, t + 1, 1] = x, y
    return positions


def flags(positions, width, height, min_spread=np.sqrt(3), max_spread=50, max_step=20, max_step_share=0.7):
    x, y = positions[..., 0], positions[..., 1]
    out_of_frame = ~((x > 0) & (x < width) & (y > 0) & (y < height)).all(axis=1)
    sx = np.sqrt(((x - x.mean(axis=1, keepdims=True)) ** 2).mean(axis=1))
    sy = np.sqrt(((y - y.mean(axis=1, keepdims=True)) ** 2).mean(axis=1))
    steps = np.sqrt((np.diff(x, axis=1) ** 2) + (np.diff(y, axis=1) ** 2))
    longest, total = steps.max(axis=1), steps.sum(axis=1)
    static = (sx < min_spread) & (sy < min_spread)
    erratic = (sx > max_spread) | (sy > max_spread)
    jump = (longest > max_step) & (longest > max_step_share * total)
    return (out_of_frame * 1 | static * 2 | erratic * 4 | jump * 8).astype(np.uint8)


def gradients(plane):
    dx = cv2.Sobel(plane, cv2.CV_32F, 1, 0, ksize=1, borderType=cv2.BORDER_REPLICATE)
    dy = cv2.Sobel(plane, cv2.CV_32F, 0, 1, ksize=1, borderType=cv2.BORDER_REPLICATE)
    return dx, dy


def integral_histogram(x, y, bins, full=True, zero_bin=None):
    """(H + 1, W + 1, bins [+ 1]) table: entry (r, c) sums the votes of rows < r, columns < c
    (summed along each row, then down the columns, as the shim does)."""
    height, width = x.shape
    dims = bins + (zero_bin is not None)
    x, y = x.astype(np.float64).ravel(), y.astype(np.float64).ravel()
    magnitude = np.sqrt(x * x + y * y)
    span = 360.0 if full else 180.0
    degrees = np.fmod(np.arctan2(y, x) * (180.0 / np.pi) + 360.0, span)
    position = degrees / span * bins
    lower = np.minimum(position.astype(np.intp), bins - 1)
    upper_share = position - lower
    w_lower, w_upper = magnitude * (1 - upper_share), magnitude * upper_share
    upper = (lower + 1) % bins
    if zero_bin is not None:
        small = magnitude <= zero_bin
        w_lower, w_upper = np.where(small, 1.0, w_lower), np.where(small, 0.0, w_upper)
        lower = np.where(small, bins, lower)
    table = np.zeros((height + 1, width + 1, dims))
    votes = np.zeros((x.size, dims))
    pixel = np.arange(x.size)
    votes[pixel, lower] = w_lower
    votes[pixel, upper] += w_upper
    np.cumsum(votes.reshape(height, width, dims), axis=1, out=table[1:, 1:])
    np.cumsum(table[1:, 1:], axis=0, out=table[1:, 1:])
    return table


def gradient_histogram(gray, bins=8, full=True):
    return integral_histogram(*gradients(gray), bins, full)


def flow_histogram(flow, bins=8, zero_bin=0.4):
    return integral_histogram(flow[..., 0], flow[..., 1], bins, True, zero_bin)


def motion_boundary_histogram(flow, component, bins=8):
    return integral_histogram(*gradients(np.ascontiguousarray(flow[..., component])), bins, True)


def describe(positions, integrals, patch=32, cells=2, groups=3, root_sift=0.05):
    """(points, groups · cells² · dims) float32, cells ordered (group, x cell, y cell, bin)."""
    count, length = positions.shape[0], positions.shape[1] - 1
    height, width, dims = integrals[0].shape[0] - 1, integrals[0].shape[1] - 1, integrals[0].shape[2]
    groups = groups or length
    per_group = length // groups
    cell = patch // cells
    row = width + 1
    out = np.zeros((count, groups, cells * cells * dims), np.float32)
    for t in range(groups * per_group):
        table = integrals[t].reshape(-1, dims)
        x0 = np.clip(nearest_index(positions[:, t, 0], 1 << 30) - patch // 2, 0, width - patch)
        y0 = np.clip(nearest_index(positions[:, t, 1], 1 << 30) - patch // 2, 0, height - patch)
        step = np.empty((count, cells * cells, dims))
        for cx in range(cells):
            for cy in range(cells):
                top_left = (y0 + cy * cell) * row + x0 + cx * cell
                bottom_left = top_left + cell * row
                step[:, cx * cells + cy] = (table[bottom_left + cell] - table[top_left + cell]
                                            - table[bottom_left] + table[top_left])
        step = step.reshape(count, -1)
        if root_sift is not None:
            step = np.maximum(step, 0) + root_sift
            step = np.sqrt(step / step.sum(axis=1, keepdims=True))
        out[:, t // per_group] += (step / per_group).astype(np.float32)
    return out.reshape(count, -1)


class Pipeline:
    """Streaming trajectories + descriptors, as the Swift bench drives Kinema (its
    TrajectoryPipeline.swift): per frame pair the frame's integral histograms (8 bins over 360°,
    and MME's 9 over 180°) and the flow's (HOF, MBHx, MBHy); once L flows are in, every new flow
    completes the set that started L pairs back, which gets iDT's HOG/HOF/MBHx/MBHy (32 px patch,
    2 × 2 × 3 cells, RootSIFT) and MME's aligned HOG (the 8 × 8 window at every step, raw)."""

    def __init__(self, length=6, step=8):
        self.length, self.step = length, step
        self.smoothed, self.window = [], []

    def append(self, gray, flow):
        self.smoothed.append(median_filtered(flow))
        self.window.append({
            "hog": gradient_histogram(gray),
            "mme": gradient_histogram(gray, bins=9, full=False),
            "hof": flow_histogram(flow),
            "mbhx": motion_boundary_histogram(flow, 0),
            "mbhy": motion_boundary_histogram(flow, 1),
        })
        if len(self.smoothed) < self.length:
            return None
        positions = track(self.smoothed, self.step)
        height, width = gray.shape
        result = {"flags": flags(positions, width, height)}
        for name in ("hog", "hof", "mbhx", "mbhy"):
            result[name] = describe(positions, [w[name] for w in self.window])
        result["mme"] = describe(positions, [w["mme"] for w in self.window], patch=8, cells=1, groups=None, root_sift=None)
        self.smoothed.pop(0)
        self.window.pop(0)
        return result
