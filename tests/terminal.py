"""Running the tool on a real pseudo-terminal, as a person at a terminal does.

The tool prints differently on a terminal (a laid-out table) than into a
pipe (tab-separated lines), and asks questions only on a terminal, so some
tests need one.
"""

from __future__ import annotations

import fcntl
import os
import pty
import struct
import subprocess
import sys
import termios
from pathlib import Path


def in_terminal(
    command: str,
    cwd: Path,
    columns: int = 80,
    env: dict[str, str] | None = None,
    typed: str = "",
) -> str:
    """What a terminal of ``columns`` shows while bash runs ``command``
    (stdout and stderr, in order, line ends as ``\\n``), ``typed`` being what
    the person types.  ``incidents`` is this interpreter's package."""
    script = f'incidents() {{ "{sys.executable}" -m incidents "$@"; }}\n{command}'
    environment = {**os.environ, "COLUMNS": str(columns), "TERM": "xterm-256color", **(env or {})}
    for forced in ("FORCE_COLOR", "TTY_COMPATIBLE", "TTY_INTERACTIVE"):
        environment.pop(forced, None)
    terminal, attached = pty.openpty()
    fcntl.ioctl(attached, termios.TIOCSWINSZ, struct.pack("HHHH", 50, columns, 0, 0))
    # Stdin is the terminal only when something is typed: otherwise nothing is asked.
    stdin = attached if typed else subprocess.DEVNULL
    with subprocess.Popen(
        ["bash", "-c", script],
        cwd=cwd,
        env=environment,
        stdin=stdin,
        stdout=attached,
        stderr=attached,
    ) as process:
        os.close(attached)
        if typed:
            os.write(terminal, typed.encode())
        shown = bytearray()
        while True:
            try:
                chunk = os.read(terminal, 65536)
            except OSError:  # the terminal is closed once the command is done
                break
            if not chunk:
                break
            shown += chunk
        process.wait()
    os.close(terminal)
    return shown.decode("utf-8").replace("\r\n", "\n")
