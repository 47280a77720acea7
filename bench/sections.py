"""Sections of BENCHMARKS.md that each benchmark writes on its own.

A section is the text between ``<!-- bench/NAME: start -->`` and
``<!-- bench/NAME: end -->``; a benchmark replaces its own and leaves the
rest of the file as it was, and ``run.py``, which writes the file whole,
keeps the others' sections after its report.
"""

from __future__ import annotations

import re
from pathlib import Path

_SECTION = re.compile(r"<!-- (bench/\S+): start -->.*?<!-- \1: end -->", re.DOTALL)


def markers(name: str) -> tuple[str, str]:
    return f"<!-- bench/{name}: start -->", f"<!-- bench/{name}: end -->"


def replace_section(path: Path, name: str, lines: list[str]) -> None:
    """Put the section into the file, in place of its older text or at the end."""
    start, end = markers(name)
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    section = "\n".join([start, *lines, end])
    if start in text and end in text:
        before, rest = text.split(start, 1)
        text = before + section + rest.split(end, 1)[1]
    else:
        text = text.rstrip("\n") + ("\n\n" if text else "") + section + "\n"
    path.write_text(text, encoding="utf-8")


def sections(path: Path) -> list[str]:
    """Every benchmark's own section in the file, as written."""
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    return [found.group(0) for found in _SECTION.finditer(text)]
