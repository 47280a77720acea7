"""Typing into a real interactive shell on a pseudo-terminal, Tab included,
to see what its completion does to a command line."""

from __future__ import annotations

import fcntl
import os
import pty
import select
import shutil
import struct
import subprocess
import sys
import termios
from pathlib import Path

# How each shell starts bare, and loads the tool's completion script.
SHELLS = {
    "bash": (["bash", "--norc", "--noprofile", "-i"], 'eval "$(incidents completion bash)"'),
    "zsh": (
        ["zsh", "-f", "-i"],
        'autoload -U compinit && compinit -u && eval "$(incidents completion zsh)"',
    ),
    "fish": (["fish", "--no-config", "-i"], "incidents completion fish | source"),
}
# The tool's own command, installed beside this interpreter (a shell's
# completion runs the command by name).
TOOL = Path(sys.executable).parent / "incidents"


def missing(shell: str) -> str | None:
    """Why the shell cannot be tried here, or None."""
    if shutil.which(shell) is None:
        return f"{shell} is not installed"
    if not TOOL.exists():
        return f"no {TOOL} to complete"
    return None


def typed_in(shell: str, keys: str, cwd: Path, env: dict[str, str]) -> str:
    """Everything the shell shows while ``keys`` are typed into it, after its
    completion is loaded and before it exits."""
    argv, setup = SHELLS[shell]
    environment = {**os.environ, "PATH": f"{TOOL.parent}{os.pathsep}{os.environ['PATH']}", **env}
    terminal, attached = pty.openpty()
    fcntl.ioctl(attached, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 100, 0, 0))

    def own_terminal() -> None:  # fish wants a controlling terminal
        os.setsid()
        fcntl.ioctl(0, termios.TIOCSCTTY, 0)

    with subprocess.Popen(
        argv,
        cwd=cwd,
        env=environment,
        stdin=attached,
        stdout=attached,
        stderr=attached,
        preexec_fn=own_terminal,
    ) as process:
        os.close(attached)
        # Typed ahead: the shell reads it in order, a completion before the next key.
        os.write(terminal, f"{setup}\n{keys}\nexit\n".encode())
        shown = bytearray()
        while select.select([terminal], [], [], 60)[0]:
            try:
                chunk = os.read(terminal, 65536)
            except OSError:  # the terminal is closed once the shell is gone
                break
            if not chunk:
                break
            shown += chunk
        process.kill()
    os.close(terminal)
    return shown.decode("utf-8", "replace")
