"""Checks of the report's other formats, with Python's standard library
and Debian's python3-openpyxl.

  check_formats.py png FILE.png WIDTH HEIGHT
      the PNG decodes, is WIDTH x HEIGHT pixels and not one colour
  check_formats.py chart-pngs DIR
      every DIR/NAME.svg has NAME.png at twice the SVG's width and height,
      not one colour
  check_formats.py xlsx DIR
      DIR/report.xlsx has a sheet per CSV named on the command line after
      DIR (targets.csv ...) holding the CSV's text and numbers (to the 16
      significant digits libxlsxwriter writes); header
      bold and frozen; probabilities shown as percentages
  check_formats.py html DIR
      DIR/index.html is one page: no script, nothing it would load, every
      chart of DIR inline, a section per Markdown table file

Prints what is wrong and exits 1, or exits 0.
"""
import csv
import glob
import math
import os
import re
import struct
import sys
import xml.etree.ElementTree as ET
import zlib


def fail(msg):
    print("FAIL: " + msg, file=sys.stderr)
    sys.exit(1)


def png_pixels(path):
    """(width, height, rows of bytes per pixel, bytes per pixel)."""
    data = open(path, "rb").read()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        fail(path + ": not a PNG file")
    pos, idat, ihdr = 8, b"", None
    while pos < len(data):
        (n,) = struct.unpack(">I", data[pos:pos + 4])
        kind = data[pos + 4:pos + 8]
        body = data[pos + 8:pos + 8 + n]
        if zlib.crc32(kind + body) != struct.unpack(
                ">I", data[pos + 8 + n:pos + 12 + n])[0]:
            fail(path + ": bad CRC in chunk " + kind.decode("latin-1"))
        if kind == b"IHDR":
            ihdr = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat += body
        pos += 12 + n
    if ihdr is None:
        fail(path + ": no IHDR")
    w, h, depth, ctype, _, _, interlace = ihdr
    if depth != 8 or interlace != 0 or ctype not in (0, 2, 4, 6):
        fail("%s: unsupported PNG (depth %d, colour type %d, interlace %d)"
             % (path, depth, ctype, interlace))
    bpp = {0: 1, 2: 3, 4: 2, 6: 4}[ctype]
    raw = zlib.decompress(idat)
    stride = w * bpp
    rows, prev = [], bytearray(stride)
    for y in range(h):
        f = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - bpp] if i >= bpp else 0
            b = prev[i]
            c = prev[i - bpp] if i >= bpp else 0
            if f == 1:
                line[i] = (line[i] + a) & 255
            elif f == 2:
                line[i] = (line[i] + b) & 255
            elif f == 3:
                line[i] = (line[i] + (a + b) // 2) & 255
            elif f == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                pr = a if pa <= pb and pa <= pc else (b if pb <= pc else c)
                line[i] = (line[i] + pr) & 255
            elif f != 0:
                fail("%s: bad filter %d on row %d" % (path, f, y))
        rows.append(bytes(line))
        prev = line
    return w, h, rows, bpp


def check_png(path, width, height):
    w, h, rows, bpp = png_pixels(path)
    if (w, h) != (width, height):
        fail("%s: %dx%d pixels, expected %dx%d" % (path, w, h, width, height))
    colours = set()
    for row in rows[:: max(1, h // 200)]:
        for i in range(0, len(row), bpp * max(1, w // 400)):
            colours.add(row[i:i + bpp])
    if len(colours) < 3:
        fail("%s: blank (%d colour(s) sampled)" % (path, len(colours)))
    return len(colours)


def svg_size(path):
    root = ET.parse(path).getroot()
    return int(float(root.get("width"))), int(float(root.get("height")))


def chart_pngs(d):
    svgs = sorted(glob.glob(os.path.join(d, "*.svg")))
    if not svgs:
        fail(d + ": no SVG chart")
    for svg in svgs:
        w, h = svg_size(svg)
        check_png(svg[:-4] + ".png", 2 * w, 2 * h)


def csv_number(text):
    """Whether the CSV writes a number this way: the shortest of %.15g,
    %.16g and %.17g that reads back."""
    try:
        x = float(text)
    except ValueError:
        return False
    if not math.isfinite(x):
        return False
    for digits in (15, 16, 17):
        s = "%.*g" % (digits, x)
        if float(s) == x:
            return s == text
    return False


def is_share(name):
    return ("probability" in name or "share" in name
            or name.startswith("inside_") or name.startswith("ci_"))


def xlsx(d, csv_names):
    import openpyxl  # Debian: python3-openpyxl

    wb = openpyxl.load_workbook(os.path.join(d, "report.xlsx"))
    want = [n[:-4] for n in csv_names]
    if wb.sheetnames != want:
        fail("report.xlsx: sheets %s, expected %s" % (wb.sheetnames, want))
    numbers = 0
    for name in csv_names:
        with open(os.path.join(d, name), encoding="utf-8-sig",
                  newline="") as f:
            rows = [r for r in csv.reader(f)]
        ws = wb[name[:-4]]
        if ws.freeze_panes != "A2":
            fail("%s: header not frozen (%s)" % (name, ws.freeze_panes))
        if ws.max_row != len(rows):
            fail("%s: %d rows, CSV has %d" % (name, ws.max_row, len(rows)))
        header = rows[0]
        stat = header.index("statistic") if "statistic" in header else -1
        for r, row in enumerate(rows, start=1):
            for c, text in enumerate(row, start=1):
                cell = ws.cell(row=r, column=c)
                v = cell.value
                where = "%s!%s" % (name, cell.coordinate)
                if r == 1:
                    if v != text or not cell.font.b:
                        fail("%s: header %r (bold %s), CSV %r"
                             % (where, v, cell.font.b, text))
                    continue
                if text == "":
                    if v not in (None, ""):
                        fail("%s: %r where the CSV is empty" % (where, v))
                    continue
                if isinstance(v, (int, float)) and not isinstance(v, bool):
                    # libxlsxwriter writes numbers with 16 significant
                    # digits: the CSV's number rounded to those.
                    x = float(text)
                    if float("%.16g" % x) != float(v) or not math.isfinite(v):
                        fail("%s: %r, CSV %r" % (where, v, text))
                    numbers += 1
                    key = header[c - 1]
                    if stat >= 0 and key == "value":
                        key = row[stat]
                    pct = cell.number_format.endswith("%")
                    if pct != is_share(key):
                        fail("%s: format %r for %s"
                             % (where, cell.number_format, key))
                elif v != text:
                    fail("%s: %r, CSV %r" % (where, v, text))
                elif csv_number(text):
                    fail("%s: the number %r stored as text" % (where, text))
    if numbers == 0:
        fail("report.xlsx: no number compared")
    print("report.xlsx: %d numbers equal to the CSV" % numbers)


def html(d):
    path = os.path.join(d, "index.html")
    page = open(path, encoding="utf-8").read()
    # The SVG namespace is a name, not something to load.
    low = page.lower().replace('xmlns="http://www.w3.org/2000/svg"', "")
    for bad in ("<script", "<img", "<iframe", "<link", "<object", "<embed",
                "src=", "url(", "@import", "http://", "https://"):
        if bad in low:
            fail("index.html holds %r" % bad)
    if re.search(r"\son[a-z]+\s*=", low):
        fail("index.html holds an event handler")
    charts = sorted(glob.glob(os.path.join(d, "*.svg")))
    inline = low.count("<svg")
    if inline != len(charts):
        fail("index.html: %d inline SVG, %d charts" % (inline, len(charts)))
    for svg in charts:
        title = ET.parse(svg).getroot().find("{http://www.w3.org/2000/svg}title")
        if title is not None and title.text:
            esc = (title.text.replace("&", "&amp;").replace("<", "&lt;")
                   .replace(">", "&gt;"))
            if esc not in page and title.text not in page:
                fail("index.html: no chart titled %r" % title.text)
    for md in glob.glob(os.path.join(d, "*.md")):
        stem = os.path.basename(md)[:-3]
        if stem != "index" and 'id="file-%s"' % stem not in page:
            fail("index.html: no section for %s.md" % stem)
        if stem != "index" and 'href="%s.md"' % stem in page:
            fail("index.html: a link to %s.md left pointing at the file"
                 % stem)
    if "<table>" not in page:
        fail("index.html: no table")


def main(argv):
    if len(argv) >= 5 and argv[1] == "png":
        check_png(argv[2], int(argv[3]), int(argv[4]))
    elif len(argv) == 3 and argv[1] == "chart-pngs":
        chart_pngs(argv[2])
    elif len(argv) >= 4 and argv[1] == "xlsx":
        xlsx(argv[2], argv[3:])
    elif len(argv) == 3 and argv[1] == "html":
        html(argv[2])
    else:
        fail("usage: see the top of check_formats.py")


if __name__ == "__main__":
    main(sys.argv)
