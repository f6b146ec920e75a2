#!/bin/sh
# The report's other formats from the command line: each chart's PNG (twice
# the SVG's size, not blank) and PDF (the CJK font embedded, checked with
# pdffonts), index.html (one page, nothing to load, every chart inline),
# report.xlsx (the CSV's numbers, read back by openpyxl); the same bytes
# on a second run; a calibration report's formats; and a missing font: a
# clear error, exit 69, the rest of the report written.
# Environment (set by CMakeLists.txt):
#   PLANSIM    the plansim binary
#   FIXTURE    report_write_fixture (ensemble files and a posterior)
#   CASES      tests/unit/report/cases
#   CHECK      check_formats.py
#   PYTHON     Debian's python3 with python3-openpyxl
#   PDFFONTS   pdffonts (poppler-utils)
#   WORK_BASE  a folder for the scratch folder
set -u
: "${PLANSIM:?}" "${FIXTURE:?}" "${CASES:?}" "${CHECK:?}" "${WORK_BASE:?}"
PYTHON=${PYTHON:-}
PDFFONTS=${PDFFONTS:-}
for need in "$PYTHON" "$PDFFONTS"; do
    [ -n "$need" ] || {
        echo "skipped: needs /usr/bin/python3 (python3-openpyxl) and pdffonts (poppler-utils)"
        exit 77
    }
done
"$PYTHON" -c 'import openpyxl' 2>/dev/null || {
    echo "skipped: python3-openpyxl is not installed"
    exit 77
}

. "$(dirname "$0")/../../support/expect.sh"
expect_begin "cli-formats"

# Every chart of report folder $1 has its PNG and a PDF embedding the font.
check_charts() {
    n=0
    for svg in "$1"/*.svg; do
        n=$((n + 1))
        base=${svg%.svg}
        [ -s "$base.pdf" ] || { fail "no PDF for $svg"; continue; }
        "$PDFFONTS" "$base.pdf" >"$WORK/fonts" 2>&1 ||
            fail "pdffonts cannot read $base.pdf"
        grep -Eq '^[A-Z]{6}\+NotoSansCJKsc-Regular .* yes +yes' "$WORK/fonts" ||
            fail "$base.pdf does not embed Noto Sans CJK SC: $(cat "$WORK/fonts")"
        grep -Eq ' no +(yes|no) +(yes|no) ' "$WORK/fonts" &&
            fail "$base.pdf has a font that is not embedded: $(cat "$WORK/fonts")"
    done
    [ "$n" -gt 0 ] || fail "$1: no chart"
    "$PYTHON" "$CHECK" chart-pngs "$1" || fail "$1: PNG charts"
}

run "$PLANSIM" run -q "$CASES/report.yaml" -o "$WORK/r.h5"
expect_status 0

# ---- an ensemble's report ----------------------------------------------
run "$PLANSIM" report "$WORK/r.h5" --output "$WORK/rep"
expect_status 0
for f in index.html report.xlsx fan_GDP.png fan_GDP.pdf fan_人口.png \
         fan_人口.pdf fan_城镇化率.png fan_城镇化率.pdf; do
    [ -s "$WORK/rep/$f" ] || fail "report: $f missing or empty"
done
ls "$WORK/rep" | grep -q '\.partial$' && fail "report: a .partial file was left"
check_charts "$WORK/rep"
"$PYTHON" "$CHECK" html "$WORK/rep" || fail "index.html"
"$PYTHON" "$CHECK" xlsx "$WORK/rep" targets.csv variables.csv \
    assumptions.csv || fail "report.xlsx"
# The page says what the Markdown says: the scorecard row and the title.
grep -q '<td>地区生产总值力争达到700亿元</td>' "$WORK/rep/index.html" ||
    fail "index.html: no scorecard row"
grep -q '<title>报告测试情景 &lt;A&amp;B&gt; &quot;十五五&quot;</title>' \
    "$WORK/rep/index.html" || fail "index.html: title not escaped"
grep -q '<html lang="zh">' "$WORK/rep/index.html" ||
    fail "index.html: not marked as Chinese"

# The same file gives the same bytes, in every format.
run "$PLANSIM" report "$WORK/r.h5" -o "$WORK/rep2"
expect_status 0
for f in "$WORK/rep"/*; do
    cmp -s "$f" "$WORK/rep2/$(basename "$f")" ||
        fail "a second report differs in $(basename "$f")"
done

# --excel: the workbook is the same; the CSVs get their byte order mark.
run "$PLANSIM" report --excel "$WORK/r.h5" -o "$WORK/xl"
expect_status 0
cmp -s "$WORK/rep/report.xlsx" "$WORK/xl/report.xlsx" ||
    fail "--excel changed report.xlsx"
"$PYTHON" "$CHECK" xlsx "$WORK/xl" targets.csv variables.csv \
    assumptions.csv || fail "report.xlsx from CSVs with a byte order mark"

# ---- a calibration report ----------------------------------------------
"$FIXTURE" "$WORK/with.h5" "$WORK/without.h5" "$WORK/post.h5" ||
    fail "report_write_fixture"
run "$PLANSIM" report "$WORK/post.h5" -o "$WORK/cal"
expect_status 0
check_charts "$WORK/cal"
"$PYTHON" "$CHECK" html "$WORK/cal" || fail "calibration index.html"
"$PYTHON" "$CHECK" xlsx "$WORK/cal" calibration.csv ||
    fail "calibration report.xlsx"

# ---- no font: the charts' PNG and PDF are refused, the rest is written --
cat >"$WORK/no-fonts.conf" <<'CONF'
<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">
<fontconfig><cachedir>NOFONTS_CACHE</cachedir></fontconfig>
CONF
sed -i "s|NOFONTS_CACHE|$WORK/fc-cache|" "$WORK/no-fonts.conf"
what="a report without the font"
FONTCONFIG_FILE="$WORK/no-fonts.conf" "$PLANSIM" report "$WORK/r.h5" \
    -o "$WORK/nofont" >"$WORK/out" 2>"$WORK/err"
status=$?
expect_status 69
expect_match err "the font 'Noto Sans CJK SC' is not installed \(Debian package fonts-noto-cjk\).*the rest of the report is written"
for f in index.md targets.csv variables.csv assumptions.csv fan_GDP.svg \
         index.html report.xlsx; do
    [ -s "$WORK/nofont/$f" ] || fail "$what: $f missing"
done
ls "$WORK/nofont" | grep -Eq '\.(png|pdf|partial)$' &&
    fail "$what: left $(ls "$WORK/nofont" | grep -E '\.(png|pdf|partial)$')"

expect_end "cli-formats"
