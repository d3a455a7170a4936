"""Reference timings for `kinema-video-bench`: the same operations with opencv-python 4.10 and
scikit-image 0.26, on the same files and thread count, printed as one JSON object.

Usage: opencv_flow.py --data .deps/data --threads 2 --repeats 5
"""
import argparse
import json
import time

import cv2
import numpy as np
from skimage.feature import hog


def median_seconds(body, repeats, warmup=1):
    for _ in range(warmup):
        body()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        body()
        times.append(time.perf_counter() - start)
    return sorted(times)[len(times) // 2]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", default=".deps/data")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    cv2.setNumThreads(args.threads)
    results = {"opencv": cv2.__version__}

    video = f"{args.data}/videos/bikes.mp4"

    def decode():
        capture = cv2.VideoCapture(video, cv2.CAP_FFMPEG)
        count = 0
        while True:
            ok, frame = capture.read()
            if not ok:
                break
            cv2.cvtColor(frame, cv2.COLOR_BGR2RGB)
            count += 1
        return count

    frames = decode()
    results["decode_fps"] = frames / median_seconds(decode, max(1, args.repeats // 2))

    first = cv2.imread(f"{args.data}/middlebury/Grove3/frame10.png", cv2.IMREAD_GRAYSCALE)
    second = cv2.imread(f"{args.data}/middlebury/Grove3/frame11.png", cv2.IMREAD_GRAYSCALE)
    for size, (a, b) in {"640x480": (first, second),
                         "320x240": (cv2.resize(first, (320, 240), interpolation=cv2.INTER_AREA),
                                     cv2.resize(second, (320, 240), interpolation=cv2.INTER_AREA))}.items():
        engines = {
            "dis-ultrafast": cv2.DISOpticalFlow_create(cv2.DISOPTICAL_FLOW_PRESET_ULTRAFAST),
            "dis-fast": cv2.DISOpticalFlow_create(cv2.DISOPTICAL_FLOW_PRESET_FAST),
            "dis-medium": cv2.DISOpticalFlow_create(cv2.DISOPTICAL_FLOW_PRESET_MEDIUM),
            "farneback": cv2.FarnebackOpticalFlow_create(),
        }
        for name, engine in engines.items():
            results[f"flow.{name}.{size}"] = 1 / median_seconds(lambda: engine.calc(a, b, None), args.repeats)

    photo = cv2.cvtColor(cv2.imread(f"{args.data}/photos/astronaut.png"), cv2.COLOR_BGR2RGB)
    results["hog_per_s"] = 1 / median_seconds(lambda: hog(photo, channel_axis=-1), args.repeats)
    print(json.dumps(results))


if __name__ == "__main__":
    main()
