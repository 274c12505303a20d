"""Reads TensorBoard event files with the Python standard library alone: TFRecord framing with its masked CRC-32C
checksums, and the fields of tensorboard's Event and Summary protobufs (event.proto, summary.proto) by field number.
Prints, for every tag, how many values there are and the first and last (step, value), or the size of the images.

    python3 docs/tensorboard/read_events.py runs/tb
"""
import glob
import os
import struct
import sys
from collections import defaultdict

CRC_TABLE = []
for n in range(256):
    c = n
    for _ in range(8):
        c = (c >> 1) ^ 0x82F63B78 if c & 1 else c >> 1   # CRC-32C (Castagnoli), reflected
    CRC_TABLE.append(c)


def masked_crc32c(data):
    crc = 0xFFFFFFFF
    for b in data:
        crc = CRC_TABLE[(crc ^ b) & 0xFF] ^ (crc >> 8)
    crc ^= 0xFFFFFFFF
    return (((crc >> 15) | (crc << 17)) + 0xA282EAD8) & 0xFFFFFFFF


def records(path):
    with open(path, "rb") as f:
        data = f.read()
    pos = 0
    while pos < len(data):
        header = data[pos:pos + 8]
        (length,) = struct.unpack("<Q", header)
        (header_crc,) = struct.unpack("<I", data[pos + 8:pos + 12])
        record = data[pos + 12:pos + 12 + length]
        (record_crc,) = struct.unpack("<I", data[pos + 12 + length:pos + 16 + length])
        if masked_crc32c(header) != header_crc or masked_crc32c(record) != record_crc:
            sys.exit(f"{path}: bad checksum at byte {pos}")
        yield record
        pos += 16 + length


def fields(message):
    """(field number, wire type, value) of a protobuf message."""
    pos = 0
    while pos < len(message):
        key, pos = varint(message, pos)
        number, wire = key >> 3, key & 7
        if wire == 0:
            value, pos = varint(message, pos)
        elif wire == 1:
            value, pos = message[pos:pos + 8], pos + 8
        elif wire == 2:
            length, pos = varint(message, pos)
            value, pos = message[pos:pos + length], pos + length
        elif wire == 5:
            value, pos = message[pos:pos + 4], pos + 4
        else:
            raise ValueError(f"wire type {wire}")
        yield number, wire, value


def varint(data, pos):
    result = shift = 0
    while True:
        b = data[pos]
        pos += 1
        result |= (b & 0x7F) << shift
        shift += 7
        if not b & 0x80:
            return result, pos


def main(directory):
    scalars, images = defaultdict(list), defaultdict(list)
    files = sorted(glob.glob(os.path.join(directory, "**", "events.out.tfevents.*"), recursive=True))
    if not files:
        sys.exit(f"no event files under {directory}")
    for path in files:
        for record in records(path):
            step, summary = 0, None
            for number, _, value in fields(record):       # Event: step = 2, summary = 5
                if number == 2:
                    step = value
                elif number == 5:
                    summary = value
            if summary is None:
                continue
            for number, _, value in fields(summary):      # Summary: repeated Value value = 1
                if number != 1:
                    continue
                tag, simple, image = None, None, None
                for n, _, v in fields(value):              # Value: tag = 1, simple_value = 2, image = 4
                    if n == 1:
                        tag = v.decode()
                    elif n == 2:
                        (simple,) = struct.unpack("<f", v)
                    elif n == 4:
                        image = {k: x for k, _, x in fields(v)}   # Image: height = 1, width = 2, encoded = 4
                if simple is not None:
                    scalars[tag].append((step, simple))
                if image is not None:
                    images[tag].append((step, image.get(2), image.get(1), image[4][:8] == b"\x89PNG\r\n\x1a\n"))
    print(f"{len(files)} event file(s), checksums verified")
    for tag, values in sorted(scalars.items()):
        print(f"{tag}: {len(values)} values, first {values[0]}, last {values[-1]}")
    for tag, values in sorted(images.items()):
        print(f"{tag}: {len(values)} images at steps {[s for s, *_ in values]}, {values[-1][1]}x{values[-1][2]} PNG {values[-1][3]}")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main(sys.argv[1])
