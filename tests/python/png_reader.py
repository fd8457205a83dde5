"""A small PNG decoder for 8-bit RGB and RGBA files (what gaussmap writes), so the tests need no
Pillow."""
import struct
import zlib

import numpy as np


def read_rgb_png(path) -> np.ndarray:
    image = read_png(path)
    assert image.shape[2] == 3, "not an RGB PNG"
    return image


def read_png(path) -> np.ndarray:
    """(height, width, 3) for RGB, (height, width, 4) for RGBA, uint8."""
    data = open(path, "rb").read()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    pos, idat, width = 8, b"", None
    while pos < len(data):
        (length,), kind = struct.unpack(">I", data[pos:pos + 4]), data[pos + 4:pos + 8]
        body = data[pos + 8:pos + 8 + length]
        pos += 12 + length
        if kind == b"IHDR":
            width, height, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", body)
            assert depth == 8 and colour in (2, 6) and interlace == 0, \
                "only 8-bit RGB or RGBA, not interlaced"
            channels = 3 if colour == 2 else 4
        elif kind == b"IDAT":
            idat += body
    raw = zlib.decompress(idat)
    stride = width * channels
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
                a = current[k - channels] if k >= channels else 0
                b = previous[k]
                c = previous[k - channels] if k >= channels else 0
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
    return out.reshape(height, width, channels).astype(np.uint8)
