#!/usr/bin/env python3
"""Cut the class-balanced Fashion-MNIST subset bundled with the Tapgrad samples.

Keeps, in original order, the first 1000 images of each class from the training
set (10,000 in all) and the first 200 of each class from the test set (2,000),
and writes them as gzipped IDX files. The gzip header's mtime and file name are
fixed, so every run produces byte-identical files and git sees no change.

Python 3 standard library only.

    python3 samples/data/make_subset.py [--source DIR] [--out DIR]
"""

import argparse
import gzip
import hashlib
import os
import struct
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_SOURCE = "/usr/share/datasets/fashion-mnist"  # Debian's dataset-fashion-mnist
DEFAULT_OUT = os.path.join(HERE, "..", "src", "main", "resources", "dev", "tapgrad", "samples", "fashion-mnist")
CLASSES = 10
SPLITS = (("train", 1000), ("t10k", 200))  # (file prefix, images kept per class)


def read_idx(path):
    """Return (magic, dims, payload bytes) of a plain or gzipped IDX file."""
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rb") as f:
        data = f.read()
    magic = struct.unpack(">I", data[:4])[0]
    if magic >> 8 != 0x08:  # 0x08 = unsigned byte; the only type Fashion-MNIST uses
        sys.exit(f"{path}: not an unsigned-byte IDX file (magic 0x{magic:08x})")
    ndim = magic & 0xFF
    dims = struct.unpack(">" + "I" * ndim, data[4:4 + 4 * ndim])
    return magic, dims, data[4 + 4 * ndim:]


def write_idx_gz(path, magic, dims, payload):
    header = struct.pack(">I", magic) + struct.pack(">" + "I" * len(dims), *dims)
    with open(path, "wb") as raw:
        # filename="" and mtime=0 keep the gzip header free of anything that changes between runs.
        with gzip.GzipFile(filename="", mode="wb", fileobj=raw, compresslevel=9, mtime=0) as gz:
            gz.write(header + payload)


def find(source, name):
    for candidate in (name + ".gz", name):
        path = os.path.join(source, candidate)
        if os.path.exists(path):
            return path
    sys.exit(f"missing {name}[.gz] in {source} (install Debian's dataset-fashion-mnist or pass --source)")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--source", default=DEFAULT_SOURCE, help="folder with the four full IDX files")
    parser.add_argument("--out", default=DEFAULT_OUT, help="folder for the subset")
    args = parser.parse_args()
    os.makedirs(args.out, exist_ok=True)

    for prefix, per_class in SPLITS:
        img_magic, img_dims, images = read_idx(find(args.source, f"{prefix}-images-idx3-ubyte"))
        lbl_magic, lbl_dims, labels = read_idx(find(args.source, f"{prefix}-labels-idx1-ubyte"))
        n, rows, cols = img_dims
        if lbl_dims[0] != n:
            sys.exit(f"{prefix}: {n} images but {lbl_dims[0]} labels")
        size = rows * cols

        counts = [0] * CLASSES
        kept = []
        for i, label in enumerate(labels):
            if counts[label] < per_class:
                counts[label] += 1
                kept.append(i)
        if counts != [per_class] * CLASSES:
            sys.exit(f"{prefix}: not enough images per class: {counts}")

        out_images = b"".join(images[i * size:(i + 1) * size] for i in kept)
        out_labels = bytes(labels[i] for i in kept)
        for name, magic, dims, payload in (
                (f"{prefix}-images-idx3-ubyte.gz", img_magic, (len(kept), rows, cols), out_images),
                (f"{prefix}-labels-idx1-ubyte.gz", lbl_magic, (len(kept),), out_labels)):
            path = os.path.join(args.out, name)
            write_idx_gz(path, magic, dims, payload)
            with open(path, "rb") as f:
                digest = hashlib.sha256(f.read()).hexdigest()
            print(f"{name}: {dims} {os.path.getsize(path)} bytes sha256 {digest}")


if __name__ == "__main__":
    main()
