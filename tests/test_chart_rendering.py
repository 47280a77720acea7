"""The charts draw alike in CairoSVG, rsvg-convert and a browser (Chromium).

CairoSVG is a test dependency and always runs.  rsvg-convert (Debian's
librsvg2-bin) and Chromium run when they are installed; each render is
compared, roughly, with CairoSVG's: the same size, and pictures that differ
only where fonts are drawn a little differently.
"""

from __future__ import annotations

import io
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

# A test dependency, needing the cairo library: missing, the tests fail, loudly.
import cairosvg
import pytest
from PIL import Image, ImageChops, ImageFilter, ImageStat  # CairoSVG's own dependency

from .test_charts import COMMANDS

SVG = "{http://www.w3.org/2000/svg}"
# What the charts are drawn with: the plain SVG 1.1 every renderer draws alike.
ELEMENTS = {"svg", "title", "defs", "clipPath", "g", "rect", "line", "circle", "path", "text"}
ATTRIBUTES = {
    "xmlns", "version", "width", "height", "viewBox", "font-family", "transform",
    "x", "y", "x1", "y1", "x2", "y2", "cx", "cy", "r", "d",
    "fill", "fill-opacity", "stroke", "stroke-width", "stroke-dasharray",
    "font-size", "font-weight", "text-anchor", "id", "clip-path",
}  # fmt: skip
# How much of one render's ink may lie more than 2 pixels from any ink of
# the other before they are not the same picture.  Measured between the
# three renderers: 0.6% to 3.5% (text drawn a little differently); with the
# text left out: 20% to 69%; with the chart moved 4 pixels: 3% to 9%.
MOST_INK_APART = 0.06

CHARTS = {**COMMANDS, "weeks": ["timeline", "--by", "week"]}


@pytest.fixture(params=CHARTS)
def chart(request, run, tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1670198400")
    picture = tmp_path / f"{request.param}.svg"
    result = run(*CHARTS[request.param], "--svg", picture)
    assert result.exit_code == 0, result.output
    return picture


def size(picture: Path) -> tuple[int, int]:
    root = ET.parse(picture).getroot()
    return int(root.get("width", "0")), int(root.get("height", "0"))


def by_cairosvg(picture: Path) -> Image.Image:
    return Image.open(io.BytesIO(cairosvg.svg2png(url=str(picture))))


def ink_apart(one: Image.Image, other: Image.Image) -> float:
    """The share of either picture's ink that is not near ink in the other."""

    def ink(image: Image.Image) -> Image.Image:
        return image.convert("L").point(lambda grey: 255 if grey < 160 else 0)

    def apart(this: Image.Image, that: Image.Image) -> float:
        near = ink(that).filter(ImageFilter.MaxFilter(5))
        alone = ImageChops.subtract(ink(this), near)
        return float(ImageStat.Stat(alone).sum[0] / max(1.0, ImageStat.Stat(ink(this)).sum[0]))

    return max(apart(one, other), apart(other, one))


def test_a_chart_uses_only_plain_svg(chart):
    root = ET.parse(chart).getroot()
    for element in root.iter():
        name = element.tag.removeprefix(SVG)
        assert name in ELEMENTS, name
        assert set(element.attrib) <= ATTRIBUTES, element.attrib
        if element is not root:
            assert "font-family" not in element.attrib  # one generic stack, set once
    # The only references are to shapes in the file itself.
    ids = {element.get("id") for element in root.iter()}
    for element in root.iter():
        if "clip-path" in element.attrib:
            assert element.get("clip-path") in {f"url(#{i})" for i in ids if i}


def test_cairosvg_draws_the_whole_page(chart):
    image = by_cairosvg(chart)
    assert image.size == size(chart)
    # A white page with something drawn on it: ink in each quarter of the height.
    grey = image.convert("L")
    width, height = grey.size
    for quarter in range(4):
        band = grey.crop((0, quarter * height // 4, width, (quarter + 1) * height // 4))
        darkest = ImageStat.Stat(band).extrema[0][0]
        assert darkest < 128, f"nothing drawn in quarter {quarter + 1}"
    assert grey.getpixel((1, 1)) == 255


@pytest.mark.skipif(shutil.which("rsvg-convert") is None, reason="rsvg-convert not installed")
def test_rsvg_convert_draws_it_as_cairosvg_does(chart, tmp_path):
    out = tmp_path / "rsvg.png"
    finished = subprocess.run(
        ["rsvg-convert", str(chart), "-o", str(out)], capture_output=True, text=True, check=False
    )
    assert finished.returncode == 0 and finished.stderr == "", finished.stderr
    with Image.open(out) as image:
        assert image.size == size(chart)
        assert ink_apart(image, by_cairosvg(chart)) < MOST_INK_APART


def chromium() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.mark.skipif(chromium() is None, reason="Chromium not installed")
def test_a_browser_draws_it_as_cairosvg_does(chart, tmp_path):
    width, height = size(chart)
    out = tmp_path / "chromium.png"
    command = [
        str(chromium()),
        "--headless",
        "--no-sandbox",  # we may run as root
        "--disable-gpu",
        "--hide-scrollbars",
        "--force-device-scale-factor=1",
        f"--window-size={width},{height}",
        f"--screenshot={out}",
        chart.as_uri(),
    ]
    subprocess.run(command, capture_output=True, check=False, timeout=120, cwd=tmp_path)
    assert out.exists(), "Chromium wrote no screenshot"
    with Image.open(out) as image:
        assert image.size == (width, height)
        assert ink_apart(image, by_cairosvg(chart)) < MOST_INK_APART
