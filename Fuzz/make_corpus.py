#!/usr/bin/env python3
"""Writes the seed corpus of Kinema's fuzz targets to Fuzz/corpus/<target>/ (docs/fuzzing.md),
and the inputs of the reader bugs found by reading the code while writing the targets to
Fuzz/regressions/<target>/review-* (the fuzzer's own findings lie beside them, as it found them).

Every seed is synthesised here from the formats' definitions, so no third-party file is committed.
Seeds named ok-* are valid files each reader must accept (FuzzCorpusTests checks it); the others
are refused for one stated reason each, a starting point for the fuzzer's mutations. The first byte
of a seed chooses the reader where a target has several (see Fuzz/Targets/FuzzTarget.swift).
Standard library only; run from anywhere: python3 Fuzz/make_corpus.py
"""
import json
import pathlib
import shutil
import struct
import zlib

CORPUS = pathlib.Path(__file__).resolve().parent / "corpus"


def safetensors(tensors, metadata=None):
    """A safetensors file: {name: (dtype, shape, raw bytes)}, in the given order."""
    header, offset = {}, 0
    if metadata:
        header["__metadata__"] = metadata
    for name, (dtype, shape, raw) in tensors.items():
        header[name] = {"dtype": dtype, "shape": shape, "data_offsets": [offset, offset + len(raw)]}
        offset += len(raw)
    text = json.dumps(header, separators=(",", ":")).encode()
    text += b" " * (-len(text) % 8)
    return struct.pack("<Q", len(text)) + text + b"".join(raw for _, _, raw in tensors.values())


def f32(*values):
    return struct.pack(f"<{len(values)}f", *values)


def fnv1a64(raw):
    h = 0xCBF29CE484222325
    for byte in raw:
        h = ((h ^ byte) * 0x100000001B3) & 0xFFFFFFFFFFFFFFFF
    return h


def png(width, height, color_type, rows):
    """A PNG of 8-bit samples; `rows` holds each row's sample bytes (filter 0 is prepended)."""
    def chunk(kind, body):
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
    raw = b"".join(b"\x00" + row for row in rows)
    ihdr = struct.pack(">IIBBBBB", width, height, 8, color_type, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")


def bmp(width, height):
    """A 24-bit BMP (rows bottom-up, padded to 4 bytes) of a colour ramp."""
    row_bytes = (3 * width + 3) // 4 * 4
    rows = b"".join(
        bytes(c for x in range(width) for c in (x * 40, y * 60, 128)).ljust(row_bytes, b"\0") for y in range(height))
    info = struct.pack("<IiiHHIIiiII", 40, width, height, 1, 24, 0, len(rows), 2835, 2835, 0, 0)
    return b"BM" + struct.pack("<IHHI", 14 + 40 + len(rows), 0, 0, 54) + info + rows


def seeds():
    flow = {"flow": ("F32", [2, 3, 2], f32(*[0.5 * i for i in range(12)]))}
    fields = struct.pack("<12e", *[0.25 * i for i in range(12)]) + struct.pack("<12e", *[-0.5 * i for i in range(12)])
    checksums = ",".join(format(fnv1a64(fields[i * 24:(i + 1) * 24]), "x") for i in range(2))
    float16 = {"flow": ("F16", [2, 2, 3, 2], fields)}
    trajectories = {
        "positions": ("F32", [1, 4, 2, 2], f32(*[float(i) for i in range(16)])),
        "flags": ("U8", [1, 4], bytes([0, 1, 2, 3])),
        "start_frames": ("I64", [1], struct.pack("<q", 7)),
    }
    grid = {"rows": "2", "columns": "2", "grid_step": "5", "length": "1"}
    gradient = [bytes(c for x in range(4) for c in (x * 60, y * 60, 90)) for y in range(3)]
    return {
        "safetensors": {
            "ok-two-tensors": safetensors(
                {"weight": ("F32", [2, 2], f32(1, 2, 3, 4)), "index": ("I64", [3], struct.pack("<3q", 1, -2, 3))},
                {"format": "pt"}),
            "ok-every-dtype": safetensors({
                "u8": ("U8", [2], b"\x01\x02"), "i8": ("I8", [1], b"\xff"), "i16": ("I16", [1], b"\x01\x00"),
                "i32": ("I32", [1], b"\x01\x00\x00\x00"), "f16": ("F16", [1], b"\x00\x3c"),
                "bf16": ("BF16", [1], b"\x80\x3f"), "f64": ("F64", [1], struct.pack("<d", 2.5)),
                "bool": ("BOOL", [2], b"\x00\x01"), "scalar": ("F32", [], f32(7)), "empty": ("F32", [0, 3], b"")}),
            "truncated-data": safetensors({"weight": ("F32", [2, 2], f32(1, 2, 3, 4))})[:-4],
            "header-longer-than-file": struct.pack("<Q", 1 << 40) + b"{}",
            "header-not-json": struct.pack("<Q", 8) + b"{weight:",
            "shape-does-not-fit": safetensors({"w": ("F32", [3], f32(1, 2))}),
            "unknown-dtype": safetensors({"w": ("C64", [1], b"\0" * 8)}),
        },
        "flow": {
            "ok-flo": b"\x00" + f32(202021.25) + struct.pack("<ii", 3, 2) + f32(*[0.5 * i for i in range(12)]),
            "ok-float16": b"\x01" + safetensors(float16, {"field_fnv1a64": checksums}),
            "ok-float32-no-checksums": b"\x01" + safetensors({"flow": ("F32", [1, 2, 3, 2], f32(*range(12)))}),
            "flo-wrong-tag": b"\x00" + f32(1.0) + struct.pack("<ii", 1, 1) + f32(0, 0),
            "flo-truncated": b"\x00" + f32(202021.25) + struct.pack("<ii", 3, 2) + f32(0, 0),
            "float16-bad-checksum": b"\x01" + safetensors(float16, {"field_fnv1a64": "1,2"}),
            "float16-wrong-shape": b"\x01" + safetensors(flow),
        },
        "trajectories": {
            "ok-one-set": safetensors(trajectories, grid),
            "no-grid-metadata": safetensors(trajectories),
            "grid-does-not-match": safetensors(trajectories, dict(grid, rows="3")),
        },
        "config": {
            "ok-mosi": b"\x00run:\n  seed: 3\ndata:\n  source: /videos  # a comment\nsteps: 5\n",
            "ok-videomae": b"\x01data: {source: /videos}\noptim:\n  learningRate: 1.5e-4\n",
            "ok-finetune-list": b"\x02data:\n  format: list\n  train: train.txt\n  test: test.txt\n",
            "ok-cgm-flow-mapping": b"\x03{data: {source: /videos}, run: {seed: 4}}\n",
            "defaults-name-no-data": b"\x01",
            "unknown-key": b"\x00stepz: 5\n",
            "wrong-type": b"\x01run:\n  seed: many\n",
            "not-yaml": b"\x02run: [\n",
            "not-a-mapping": b"\x03- a\n- b\n",
            "anchors-and-aliases": b"\x00a: &x [1, 2]\nb: *x\n",
        },
        "annotations": {
            "ok-ucf101": b"\x001 ApplyEyeMakeup\n2 Archery\n\x00ApplyEyeMakeup/v_ApplyEyeMakeup_g08_c01.avi 1\r\n"
                         b"Archery/v_Archery_g01_c01.avi 2\n",
            "ok-hmdb51": b"\x01\xef\xbb\xbfbrush_hair_1.avi 1\nbrush_hair_2.avi 2\nbrush_hair_3.avi 0\n",
            "ok-kinetics": b"\x02label,youtube_id,time_start,time_end,split\n"
                           b"\"abseiling, rope\",-3B32lodo2M,59,69,train\narchery,abc,1.5,11.5,\n",
            "ok-ssv2": b"\x03" + json.dumps({"Holding something": "0", "Pushing something": 1}).encode() + b"\x00"
                       + json.dumps([{"id": "78687", "template": "Holding [something]"},
                                     {"id": 5, "template": "Pushing [something]"}]).encode(),
            "ok-path-label": b"\x04a.mp4 0\nfolder with spaces/b.mp4 1\nc.mp4,2\n",
            "ok-idx-two-images": b"\x05" + struct.pack(">4B3I", 0, 0, 8, 3, 2, 2, 3) + bytes(range(12)),
            "idx-short": b"\x05" + struct.pack(">4B3I", 0, 0, 8, 3, 2, 2, 3) + bytes(range(11)),
            "ucf101-gap-in-class-ids": b"\x001 ApplyEyeMakeup\n3 Archery\n\x00x.avi 1\n",
            "ucf101-id-out-of-range": b"\x001 ApplyEyeMakeup\n\x00ApplyEyeMakeup/v.avi 9\n",
            "hmdb51-bad-flag": b"\x01a.avi 7\n",
            "kinetics-no-header-columns": b"\x02label,youtube_id\nx,y\n",
            "ssv2-duplicate-index": b"\x03{\"a\": \"0\", \"b\": \"0\"}\x00[]",
            "ssv2-not-json": b"\x03{\"a\": \"0\"}\x00[{",
            "path-label-negative-label": b"\x04a.mp4 -1\n",
        },
        "image": {
            "ok-png-rgb": b"\x00" + png(4, 3, 2, gradient),
            "ok-png-gray-as-gray": b"\x01" + png(3, 2, 0, [b"\x00\x80\xff", b"\x10\x20\x30"]),
            "ok-png-rgba": b"\x02" + png(2, 2, 6, [b"\x00\x00\x00\x00\xff\xff\xff\xff"] * 2),
            "ok-bmp": b"\x00" + bmp(3, 2),
            "png-truncated": b"\x00" + png(4, 3, 2, gradient)[:40],
            "png-bad-crc": b"\x00" + png(2, 2, 0, [b"\x00\x01", b"\x02\x03"]).replace(b"IEND", b"IEN\x00"),
            "not-an-image": b"\x00hello, world\n",
        },
    }


def review_regressions():
    """Inputs that crashed, hung or blew up a reader before it checked the file's claims."""
    huge = 1 << 62
    empty_flow = {"flow": ("F16", [0, 1 << 40, 1 << 40, 2], b"")}
    bmp_bomb = bytearray(bmp(1, 1))
    bmp_bomb[18:26] = struct.pack("<ii", 30000, 30000)
    return {
        "image": {
            # A 70-byte BMP claiming 30000 × 30000 pixels: OpenCV allocated 2.7 GB before reading data.
            "bmp-claims-900-megapixels": b"\x00" + bytes(bmp_bomb),
        },
        "safetensors": {
            # 2^62 elements × 4 bytes overflowed Int while the byte count was checked.
            "shape-times-dtype-overflows": safetensors({"w": ("F32", [huge, 1], b"")}),
        },
        "flow": {
            # A header length over Int.max trapped converting to Int.
            "header-length-over-int-max": b"\x01" + b"\xff" * 8 + b"{}",
            # The product of the shape overflowed before it was compared with the offsets.
            "shape-product-overflows": b"\x01" + safetensors({"flow": ("F16", [huge, 8, 8, 2], b"")}),
            # No frames fit any field size; the size of one field then overflowed.
            "no-frames-of-huge-fields": b"\x01" + safetensors(empty_flow),
        },
        "trajectories": {
            # rows × columns overflowed; negative rows and columns whose product matched were taken.
            "grid-product-overflows": safetensors(
                {"positions": ("F32", [0, 0, 2, 2], b""), "flags": ("U8", [0, 0], b""), "start_frames": ("I64", [0], b"")},
                {"rows": str(1 << 32), "columns": str(1 << 32), "grid_step": "1", "length": "1"}),
            "negative-grid": safetensors(
                {"positions": ("F32", [1, 4, 2, 2], f32(*[0.0] * 16)), "flags": ("U8", [1, 4], bytes(4)),
                 "start_frames": ("I64", [1], bytes(8))},
                {"rows": "-2", "columns": "-2", "grid_step": "-5", "length": "1"}),
        },
        "annotations": {
            # The class id Int.min: id − 1 overflowed.
            "ucf101-id-int-min": b"\x001 ApplyEyeMakeup\n\x00ApplyEyeMakeup/v.avi -9223372036854775808\n",
            # The missing ids of 1…10^15 were listed eagerly (a hang).
            "ucf101-huge-class-id": b"\x001 ApplyEyeMakeup\n999999999999999 Archery\n\x00a.avi 1\n",
            # A time of 10^300 s trapped converting to Int.
            "kinetics-huge-time": b"\x02label,youtube_id,time_start,time_end\na,b,0,1e300\n",
            # Three 32-bit sizes whose product overflowed Int.
            "idx-size-product-overflows": b"\x05" + struct.pack(">4B3I", 0, 0, 8, 3, 0xFFFFFFFF, 0xFFFFFFFF, 0xFFFFFFFF),
            # Label 10^12 with no class names: a trillion class names were made.
            "path-label-huge-label": b"\x04a.mp4 999999999999\n",
        },
    }


def main():
    shutil.rmtree(CORPUS, ignore_errors=True)
    for target, files in seeds().items():
        folder = CORPUS / target
        folder.mkdir(parents=True)
        for name, data in files.items():
            (folder / name).write_bytes(data)
    for target, files in review_regressions().items():
        folder = CORPUS.parent / "regressions" / target
        folder.mkdir(parents=True, exist_ok=True)
        for name, data in files.items():
            (folder / f"review-{name}").write_bytes(data)
    total = sum(f.stat().st_size for f in CORPUS.rglob("*") if f.is_file())
    print(f"wrote {sum(len(f) for f in seeds().values())} seeds ({total} bytes) to {CORPUS}")


if __name__ == "__main__":
    main()
