#!/usr/bin/env python3
"""svg_check.py SVG PNG: checks that the memory-map picture is readable once
rendered (PNG from rsvg-convert). For every step's bar:
  - every owner in it shows as a run of its own colour at least MIN_RUN pixels
    wide on the bar's middle row (a VM of 256 KiB in 128 MiB of RAM would be
    2 pixels on a linear scale);
  - each owner's name, drawn inside its range, put pixels of another colour
    (the text) into the range's upper half;
each bar's last tick (the end of RAM) has its address label; and the legend
row has ink. Prints PASS or FAILURE: <why>. Standard library
only: the PNG is decoded here (8-bit RGB/RGBA, no interlace)."""
import re
import struct
import sys
import zlib

MIN_RUN = 20


def decode_png(path):
    data = open(path, "rb").read()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    pos, idat, w = 8, b"", None
    while pos < len(data):
        n, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + n]
        if kind == b"IHDR":
            w, h, depth, ctype, _, _, interlace = struct.unpack(">IIBBBBB", body)
            assert depth == 8 and ctype in (2, 6) and interlace == 0, "unsupported PNG format"
            bpp = 4 if ctype == 6 else 3
        elif kind == b"IDAT":
            idat += body
        pos += 12 + n
    raw = zlib.decompress(idat)
    stride = w * bpp
    rows, prev = [], bytearray(stride)
    for y in range(h):
        f, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - bpp] if i >= bpp else 0
            b = prev[i]
            c = prev[i - bpp] if i >= bpp else 0
            if f == 1: line[i] = (line[i] + a) & 255
            elif f == 2: line[i] = (line[i] + b) & 255
            elif f == 3: line[i] = (line[i] + (a + b) // 2) & 255
            elif f == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append([tuple(line[x * bpp:x * bpp + 3]) for x in range(w)])
        prev = line
    return w, h, rows


def rgb(hexcolour):
    return tuple(int(hexcolour[i:i + 2], 16) for i in (1, 3, 5))


def close(p, q, tol=6):
    return all(abs(a - b) <= tol for a, b in zip(p, q))


def main(svg_path, png_path):
    svg = open(svg_path).read()
    w, h, px = decode_png(png_path)
    sw, sh = (float(v) for v in re.search(r'<svg[^>]* width="([\d.]+)" height="([\d.]+)"', svg).groups())
    if (w, h) != (round(sw), round(sh)):
        return f"PNG is {w}x{h}, the SVG says {sw}x{sh}"
    steps = re.findall(r'<g class="step">(.*?)</g>', svg, re.S)
    if not steps:
        return "no steps in the SVG"
    for n, step in enumerate(steps):
        title = re.search(r">([^<]*)</text>", step).group(1)
        ticks = [float(x) for x, x2 in re.findall(r'<line x1="([\d.]+)" y1="[\d.]+" x2="([\d.]+)" y2=', step) if x == x2]
        labelled = {float(x) for x in re.findall(r'<text x="([\d.]+)" y="[\d.]+" text-anchor="\w+" font-size="11"', step)}
        if ticks and max(ticks) not in labelled:
            return f"step '{title}': the end of RAM (x={max(ticks):.0f}) has no address label"
        rects = re.findall(r'<rect class="range" data-owner="(\d+)" x="([\d.]+)" y="([\d.]+)" '
                           r'width="([\d.]+)" height="([\d.]+)" fill="(#[0-9a-f]{6})"', step)
        for owner, x, y, rw, rh, fill in rects:
            x, y, rw, rh = float(x), float(y), float(rw), float(rh)
            mid = int(y + rh * 0.85)  # below the labels
            run = sum(1 for i in range(int(x), int(x + rw)) if close(px[mid][i], rgb(fill)))
            if run < MIN_RUN:
                return f"step '{title}': owner {owner} at x={x:.0f} shows {run} px of {fill} (want >= {MIN_RUN})"
            ink = sum(1 for yy in range(int(y + 4), int(y + rh / 2 + 4)) for i in range(int(x) + 2, int(x + rw) - 2)
                      if not close(px[yy][i], rgb(fill), 40))
            if ink < 15:
                return f"step '{title}': owner {owner} at x={x:.0f} has no label in the picture ({ink} px)"
    legend_y = float(re.search(r'<g class="legend">\s*<rect x="[\d.]+" y="([\d.]+)"', svg).group(1))
    ink = sum(1 for yy in range(int(legend_y), int(legend_y) + 14) for i in range(w) if px[yy][i] != (255, 255, 255))
    if ink < 200:
        return f"the legend row is blank ({ink} px)"
    ranges = sum(s.count('class="range"') for s in steps)
    print(f"{len(steps)} steps, {ranges} ranges checked in a {w}x{h} PNG")
    return None


if __name__ == "__main__":
    why = main(sys.argv[1], sys.argv[2])
    print(f"FAILURE: {why}" if why else "PASS")
    sys.exit(1 if why else 0)
