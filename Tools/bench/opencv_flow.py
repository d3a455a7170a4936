"""Python side of `kinema-video-bench`: every row of the video bench done with OpenCV's Python
bindings, scikit-image and numpy, on the frames the Swift side decoded (raw RGB file) and the flow
fields it computed (for the rows that take flow as input), with the same OpenCV thread count. The
Swift side drives it over stdin/stdout, one timed run at a time, so that the sides' runs alternate
and share whatever else the machine is doing.

It runs under two Pythons: .deps/pyref (opencv-contrib-python 4.10, scikit-image 0.26) and Debian's
/usr/bin/python3 with python3-opencv 4.6, the OpenCV build Kinema links, so that one pair of rows
measures Kinema and not the OpenCV build. Without scikit-image (Debian's side) the HOG rows are
left out; the first reply lists the rows this Python has.

Usage (the Swift bench runs it): opencv_flow.py --frames F --width W --height H --count N
    --flows FLOWS --video V --decode-frames D --tvl1-pairs T --method dis-medium --threads 2 --out DIR
"""
import argparse
import json
import sys
import time

import cv2
import numpy as np

import trajectory_reference as tr

try:
    from skimage.feature import hog
except ImportError:
    hog = None


def flow_engine(name):
    """OpenCV's defaults, as Kinema's FlowMethod(name:) uses them."""
    if name.startswith("dis-"):
        preset = {"dis-ultrafast": cv2.DISOPTICAL_FLOW_PRESET_ULTRAFAST, "dis-fast": cv2.DISOPTICAL_FLOW_PRESET_FAST,
                  "dis-medium": cv2.DISOPTICAL_FLOW_PRESET_MEDIUM}[name]
        return cv2.DISOpticalFlow_create(preset)
    if name == "farneback":
        return cv2.FarnebackOpticalFlow_create(5, 0.5, False, 13, 10, 5, 1.1, 0)
    if name == "tvl1":
        return cv2.optflow.DualTVL1OpticalFlow_create(0.25, 0.15, 0.3, 5, 5, 0.01, 30, 10, 0.8, 0.0, 5, False)
    raise ValueError(name)


def decode(video, count, width, height):
    """Kinema's VideoReader(size: .exactly): FFmpeg decode, INTER_AREA shrink, BGR → RGB."""
    capture = cv2.VideoCapture(video, cv2.CAP_FFMPEG)
    frames = 0
    while frames < count:
        ok, frame = capture.read()
        if not ok:
            break
        cv2.cvtColor(cv2.resize(frame, (width, height), interpolation=cv2.INTER_AREA), cv2.COLOR_BGR2RGB)
        frames += 1
    return frames


class CameraMotion:
    """Kinema's camera.cpp and CameraMotionCompensator with their defaults: ORB matches within
    25 px, corners displaced by the flow, RANSAC homography (1 px), accepted with >= 50
    correspondences and >= 25 inliers; then the second frame warped back and the flow recomputed."""

    def __init__(self, engine):
        self.engine = engine
        self.orb = cv2.ORB_create(1000)
        self.matcher = cv2.BFMatcher(cv2.NORM_HAMMING)

    def estimate(self, g0, g1, flow):
        k0, d0 = self.orb.detectAndCompute(g0, None)
        k1, d1 = self.orb.detectAndCompute(g1, None)
        src, dst = np.zeros((0, 2), np.float32), np.zeros((0, 2), np.float32)
        if k0 and k1:
            p0 = np.array([k.pt for k in k0], np.float32)
            p1 = np.array([k.pt for k in k1], np.float32)
            dx, dy = p0[:, 0, None] - p1[None, :, 0], p0[:, 1, None] - p1[None, :, 1]
            allowed = (dx * dx + dy * dy <= np.float32(25.0 * 25.0)).view(np.uint8)
            matches = self.matcher.match(d0, d1, allowed)
            src = p0[np.fromiter((m.queryIdx for m in matches), np.intp, len(matches))]
            dst = p1[np.fromiter((m.trainIdx for m in matches), np.intp, len(matches))]
        self.counts = [len(src), 0, 0]  # feature matches, flow matches, inliers (for the agreement check)
        corners = cv2.goodFeaturesToTrack(g0, 1000, 0.001, 3.0)
        if corners is not None:
            c = corners.reshape(-1, 2)
            h, w = flow.shape[:2]
            xi = np.clip(np.rint(c[:, 0]), 0, w - 1).astype(np.intp)  # cvRound: half to even
            yi = np.clip(np.rint(c[:, 1]), 0, h - 1).astype(np.intp)
            f = flow[yi, xi]
            keep = np.isfinite(f).all(axis=1)
            src = np.concatenate([src, c[keep]])
            dst = np.concatenate([dst, c[keep] + f[keep]])
            self.counts[1] = int(keep.sum())
        if len(src) < 50:
            return None
        homography, inliers = cv2.findHomography(src, dst, cv2.RANSAC, 1.0)
        if homography is not None:
            self.counts[2] = int(inliers.sum())
        if homography is None or self.counts[2] < 25 or not np.isfinite(homography).all():
            return None
        return homography

    def compensated_flow(self, g0, g1):
        initial = self.engine.calc(g0, g1, None)
        homography = self.estimate(g0, g1, initial)
        if homography is None:
            return initial
        aligned = g0.copy()
        cv2.warpPerspective(g1, homography, (g0.shape[1], g0.shape[0]), dst=aligned,
                            flags=cv2.INTER_LINEAR | cv2.WARP_INVERSE_MAP, borderMode=cv2.BORDER_TRANSPARENT)
        return self.engine.calc(g0, aligned, None)


def workloads(args):
    """Row key → (warm-up, timed run), the same work as the Swift side's Rows.swift."""
    w, h = args.width, args.height
    rgb = np.fromfile(args.frames, np.uint8).reshape(args.count, h, w, 3)
    gray = [cv2.cvtColor(f, cv2.COLOR_RGB2GRAY) for f in rgb]
    given = np.fromfile(args.flows, np.float32).reshape(args.count - 1, h, w, 2)
    pairs = list(zip(gray[:-1], gray[1:]))
    rows = {}

    def decode_run():
        decode(args.video, args.decode_frames, w, h)

    rows["decode"] = (decode_run, decode_run)

    def flow_row(name):
        engine = flow_engine(name)
        use = pairs[: args.tvl1_pairs if name == "tvl1" else len(pairs)]

        def run():
            for a, b in use:
                engine.calc(a, b, None)

        return (lambda: engine.calc(*use[0], None)), run

    for name in ("dis-ultrafast", "dis-fast", "dis-medium", "farneback", "tvl1"):
        rows[f"flow.{name}"] = flow_row(name)

    camera = CameraMotion(flow_engine(args.method))

    def estimate():
        for i, (a, b) in enumerate(pairs):
            camera.estimate(a, b, given[i])

    def compensated():
        for a, b in pairs:
            camera.compensated_flow(a, b)

    rows["camera.estimate"] = (estimate, estimate)
    rows["camera.compensated"] = (compensated, compensated)

    def trajectories(flows):
        pipeline, sets = tr.Pipeline(), []
        for i, (a, _) in enumerate(pairs):
            result = pipeline.append(a, flows(i))
            if result is not None:
                sets.append(result)
        return sets

    engine = flow_engine(args.method)

    def given_flow():
        trajectories(lambda i: given[i])

    def with_flow():
        trajectories(lambda i: engine.calc(*pairs[i], None))

    rows["tracks.given-flow"] = (given_flow, given_flow)
    rows["tracks.with-flow"] = (with_flow, with_flow)

    def hog_rgb():
        return hog(rgb[0], channel_axis=-1)

    def hog_gray():
        return hog(gray[0])

    if hog is not None:
        rows["hog.rgb"] = (hog_rgb, hog_rgb)
        rows["hog.gray"] = (hog_gray, hog_gray)

    def write_outputs():
        """What the Swift side checks its own outputs against."""
        sets = trajectories(lambda i: given[i])
        np.concatenate([s["flags"] for s in sets]).tofile(f"{args.out}/flags.u8")
        for name in ("hog", "hof", "mbhx", "mbhy", "mme"):
            np.concatenate([s[name].ravel() for s in sets]).astype(np.float32).tofile(f"{args.out}/{name}.f32")
        if hog is not None:
            hog_rgb().tofile(f"{args.out}/hog_rgb.f64")
            hog_gray().tofile(f"{args.out}/hog_gray.f64")
        counts = np.zeros(3, np.int64)
        for i, (a, b) in enumerate(pairs):
            camera.estimate(a, b, given[i])
            counts += camera.counts
        counts.tofile(f"{args.out}/camera.i64")

    return rows, write_outputs


def main():
    parser = argparse.ArgumentParser()
    for name in ("--frames", "--flows", "--video", "--out", "--method"):
        parser.add_argument(name, required=True)
    for name in ("--width", "--height", "--count", "--decode-frames", "--tvl1-pairs", "--threads"):
        parser.add_argument(name, type=int, required=True)
    args = parser.parse_args()
    cv2.setNumThreads(args.threads)
    rows, write_outputs = workloads(args)
    reply({"opencv": cv2.__version__, "threads": cv2.getNumThreads(), "rows": sorted(rows),
           "python": sys.version.split()[0], "executable": sys.executable})
    # Commands on stdin, one per line: "warmup ROW", "run ROW" (replies its seconds), "outputs", "quit".
    for line in sys.stdin:
        command, _, row = line.strip().partition(" ")
        if command == "warmup":
            rows[row][0]()
            reply({"ok": True})
        elif command == "run":
            start = time.perf_counter()
            rows[row][1]()
            reply({"seconds": time.perf_counter() - start})
        elif command == "outputs":
            write_outputs()
            reply({"ok": True})
        else:
            break


def reply(message):
    print(json.dumps(message), flush=True)


if __name__ == "__main__":
    main()
