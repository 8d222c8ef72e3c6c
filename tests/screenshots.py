"""Headless Chromium screenshots for the report tests: the charts are SVG drawn in Python, so the
only proof they render is a browser. The PNG is decoded with zlib and struct (no imaging library)."""

from __future__ import annotations

import shutil
import struct
import subprocess
import zlib
from pathlib import Path

import numpy as np
import pytest


def screenshot(html_file: Path, png: Path, *, width: int = 1200, height: int = 2400) -> np.ndarray:
    """Open `html_file` in headless Chromium and return the screenshot as an (h, w, 3) uint8 array."""
    exe = shutil.which("chromium") or shutil.which("chromium-browser")
    if exe is None:
        pytest.fail("headless Chromium is needed to check the report's charts: install the Debian package "
                    "'chromium' (apt-get install chromium)")
    command = [
        exe, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--no-first-run",
        "--force-device-scale-factor=1", f"--user-data-dir={png.parent / 'chromium-profile'}",
        f"--window-size={width},{height}", f"--screenshot={png}", html_file.resolve().as_uri(),
    ]
    try:
        done = subprocess.run(command, check=False, capture_output=True, text=True, timeout=120)
    except subprocess.TimeoutExpired:
        pytest.fail("Chromium did not finish the screenshot within 120 s")
    assert png.is_file(), f"Chromium wrote no screenshot (exit {done.returncode}): {done.stderr[-800:]}"
    return read_png(png)


def read_png(path: Path) -> np.ndarray:
    """Decode an 8-bit, non-interlaced RGB or RGBA PNG (what Chromium writes) with zlib and struct."""
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", f"{path} is not a PNG"
    pos, idat, header = 8, bytearray(), b""
    while pos < len(data):
        (length,), kind = struct.unpack(">I", data[pos:pos + 4]), data[pos + 4:pos + 8]
        if kind == b"IHDR":
            header = data[pos + 8:pos + 8 + length]
        elif kind == b"IDAT":
            idat += data[pos + 8:pos + 8 + length]
        pos += 12 + length
    width, height, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", header)
    assert depth == 8 and colour in (2, 6) and interlace == 0, f"unsupported PNG format in {path}"
    bpp = 3 if colour == 2 else 4
    rows = _unfilter(zlib.decompress(bytes(idat)), width * bpp, height, bpp)
    return np.frombuffer(bytes(rows), dtype=np.uint8).reshape(height, width, bpp)[:, :, :3]


def _unfilter(raw: bytes, stride: int, height: int, bpp: int) -> bytearray:
    out = bytearray(stride * height)
    previous = bytearray(stride)
    for y in range(height):
        kind, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        if kind == 1:
            for i in range(bpp, stride):
                line[i] = (line[i] + line[i - bpp]) & 0xFF
        elif kind == 2:
            line = bytearray((np.frombuffer(line, np.uint8) + np.frombuffer(previous, np.uint8)).tobytes())
        elif kind == 3:
            for i in range(stride):
                left = line[i - bpp] if i >= bpp else 0
                line[i] = (line[i] + ((left + previous[i]) >> 1)) & 0xFF
        elif kind == 4:
            for i in range(stride):
                a = line[i - bpp] if i >= bpp else 0
                b, c = previous[i], previous[i - bpp] if i >= bpp else 0
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 0xFF
        out[y * stride:(y + 1) * stride] = line
        previous = line
    return out


def near(pixels: np.ndarray, colour: str, tolerance: int = 6) -> np.ndarray:
    """Mask of the pixels within `tolerance` (per channel) of `#rrggbb`."""
    target = np.array([int(colour[i:i + 2], 16) for i in (1, 3, 5)], dtype=np.int16)
    return (np.abs(pixels.astype(np.int16) - target) <= tolerance).all(axis=2)
