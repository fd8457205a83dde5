"""A small PNG decoder for 8-bit RGB files (what gaussmap writes), so the tests need no Pillow."""
import struct
import zlib

import numpy as np


def read_rgb_png(path) -> np.ndarray:
    data = open(path, "rb").read()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    pos, idat, width = 8, b"", None
    while pos < len(data):
        (length,), kind = struct.unpack(">I", data[pos:pos + 4]), data[pos + 4:pos + 8]
        body = data[pos + 8:pos + 8 + length]
        pos += 12 + length
        if kind == b"IHDR":
            width, height, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", body)
            assert (depth, colour, interlace) == (8, 2, 0), "only 8-bit RGB, not interlaced"
        elif kind == b"IDAT":
            idat += body
    raw = zlib.decompress(idat)
    stride = width * 3
    out = np.zeros((height, stride), np.int32)
    previous = np.zeros(stride, np.int32)
    for j in range(height):
        line = raw[j * (stride + 1):(j + 1) * (stride + 1)]
        kind, row = line[0], np.frombuffer(line[1:], np.uint8).astype(np.int32)
        if kind == 0:
            current = row
        elif kind == 2:
            current = (row + previous) & 255
        else:  # Sub, Average, Paeth depend on the pixel to the left: one byte at a time
            current = np.zeros(stride, np.int32)
            for k in range(stride):
                a = current[k - 3] if k >= 3 else 0
                b = previous[k]
                c = previous[k - 3] if k >= 3 else 0
                if kind == 1:
                    predictor = a
                elif kind == 3:
                    predictor = (a + b) // 2
                else:
                    p = a + b - c
                    pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                    predictor = a if pa <= pb and pa <= pc else (b if pb <= pc else c)
                current[k] = (row[k] + predictor) & 255
        out[j] = current
        previous = current
    return out.reshape(height, width, 3).astype(np.uint8)
