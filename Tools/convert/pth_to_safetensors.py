#!/usr/bin/env python3
"""Converts a PyTorch checkpoint (.pth, .pt, .bin) into a safetensors file Kinema loads, with torch
alone: the file is read with torch.load(weights_only=True), so no pickled code runs and the code that
wrote it (VideoMAE, MME, timm, transformers) need not be installed.

The state dict is the value of the first of --key (default: model, module, state_dict, model_state)
that holds one (VideoMAE and MME save {"model": ..., "optimizer": ..., "epoch": ...}), or the file
itself when it is one. Entries that are not tensors are listed and left out; keys keep their names
(Kinema's loaders understand VideoMAE's, MME's and transformers' layouts). The output is written
next to the input (NAME.safetensors) unless given, atomically.

  python3 Tools/convert/pth_to_safetensors.py checkpoint-1599.pth
  python3 Tools/convert/pth_to_safetensors.py pytorch_model.bin model.safetensors
"""
import argparse
import json
import os
import struct
import sys

import torch

# safetensors' dtype names.
DTYPES = {torch.float64: "F64", torch.float32: "F32", torch.float16: "F16", torch.bfloat16: "BF16",
          torch.int64: "I64", torch.int32: "I32", torch.int16: "I16", torch.int8: "I8", torch.uint8: "U8",
          torch.bool: "BOOL"}
STATE_KEYS = ("model", "module", "state_dict", "model_state")


def state_dict(checkpoint, keys):
    """The tensors to write and the names of the entries left out."""
    if isinstance(checkpoint, dict):
        for key in keys:
            if isinstance(checkpoint.get(key), dict):
                checkpoint = checkpoint[key]
                break
    if not isinstance(checkpoint, dict):
        raise SystemExit(f"not a state dict: the file holds a {type(checkpoint).__name__}")
    tensors = {k: v for k, v in checkpoint.items() if isinstance(v, torch.Tensor)}
    if not tensors:
        raise SystemExit(f"no tensors found (top-level keys: {', '.join(map(str, checkpoint))}); name the "
                         "entry that holds the state dict with --key")
    return tensors, sorted(str(k) for k in checkpoint if k not in tensors)


def write(tensors, path, source):
    """The safetensors format: an 8-byte little-endian header length, the JSON header (padded to 8
    bytes), then every tensor's bytes, contiguous and little-endian, in header order."""
    header, blobs, offset = {"__metadata__": {"format": "pt", "source": source}}, [], 0
    for name in sorted(tensors):
        tensor = tensors[name].detach().cpu()
        if tensor.dtype not in DTYPES:
            raise SystemExit(f"{name}: dtype {tensor.dtype} has no safetensors name")
        # A fresh contiguous copy owns exactly its elements: its storage is the tensor's bytes.
        blob = bytes(tensor.contiguous().clone().untyped_storage())
        header[name] = {"dtype": DTYPES[tensor.dtype], "shape": list(tensor.shape),
                        "data_offsets": [offset, offset + len(blob)]}
        blobs.append(blob)
        offset += len(blob)
    text = json.dumps(header, separators=(",", ":")).encode()
    text += b" " * (-len(text) % 8)
    partial = path + ".partial"
    with open(partial, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for blob in blobs:
            f.write(blob)
    os.replace(partial, path)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("checkpoint", help="the .pth / .pt / .bin file")
    parser.add_argument("output", nargs="?", help="the .safetensors file (default: beside the input)")
    parser.add_argument("--key", action="append", help="the entry holding the state dict (repeatable)")
    args = parser.parse_args()
    if sys.byteorder != "little":
        raise SystemExit("safetensors stores little-endian data; convert on a little-endian machine")
    try:
        checkpoint = torch.load(args.checkpoint, map_location="cpu", weights_only=True)
    except Exception as error:  # torch raises pickle, zip and runtime errors alike
        raise SystemExit(f"{args.checkpoint}: cannot be read as a weights-only PyTorch checkpoint ({error})")
    tensors, skipped = state_dict(checkpoint, args.key or STATE_KEYS)
    output = args.output or os.path.splitext(args.checkpoint)[0] + ".safetensors"
    write(tensors, output, os.path.basename(args.checkpoint))
    count = sum(t.numel() for t in tensors.values())
    print(f"wrote {output}: {len(tensors)} tensors, {count:,} values"
          + (f"; left out (not tensors): {', '.join(skipped)}" if skipped else ""))


if __name__ == "__main__":
    main()
