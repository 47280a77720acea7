"""Helpers for tests with real processes: the installed command, a writer
paused in the middle of its change, and another user."""

from __future__ import annotations

import contextlib
import functools
import os
import shutil
import site
import subprocess
import sys
import tempfile
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest

# Runs the command line with one function replaced by one that, the first
# time it is called, says "paused" on stdout and waits for a line on stdin
# before going on: a writer held between its reading of the store and its
# writing (or in the middle of its writing), for as long as a test needs.
_PAUSED = textwrap.dedent(
    """
    import importlib, sys
    module_name, name = sys.argv[1].split(":")
    module = importlib.import_module(module_name)
    original = getattr(module, name)

    def paused(*args, **kwargs):
        setattr(module, name, original)  # once
        print("paused", flush=True)
        sys.stdin.readline()
        return original(*args, **kwargs)

    setattr(module, name, paused)
    from incidents.cli import main
    sys.argv = ["incidents", *sys.argv[2:]]
    main()
    """
)


def incidents(*args: str | Path) -> list[str]:
    """The installed command line, run as a process of its own."""
    return [sys.executable, "-m", "incidents", *(str(a) for a in args)]


def run_incidents(
    *args: str | Path,
    input: str | None = None,
    cwd: Path | None = None,
    env: dict[str, str] | None = None,
    timeout: float = 120,
) -> subprocess.CompletedProcess[str]:
    """``incidents ARGS`` in a process of its own; ``env`` adds to the environment."""
    return subprocess.run(
        incidents(*args),
        input=input,
        cwd=cwd,
        env={**os.environ, **env} if env else None,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


class Paused:
    """``incidents ARGS`` held at the start of ``function`` (``module:name``)
    until ``resume``."""

    def __init__(self, function: str, *args: str | Path) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-c", _PAUSED, function, *(str(a) for a in args)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        assert self.process.stdout is not None
        line = self.process.stdout.readline()
        if line != "paused\n":
            self.process.kill()
            _, err = self.process.communicate()
            raise AssertionError(f"never paused: {line!r} {err}")

    @property
    def pid(self) -> int:
        return self.process.pid

    def resume(self) -> tuple[int, str]:
        """Let it go on; its exit code and standard error."""
        _, err = self.process.communicate("\n", timeout=120)
        return self.process.returncode, err


def first_error_line(process: subprocess.Popen[str]) -> str:
    """The first line a process writes on standard error (or "" if none)."""
    assert process.stderr is not None
    return process.stderr.readline()


def finish(process: subprocess.Popen[str]) -> tuple[int, str, str]:
    out, err = process.communicate(timeout=120)
    return process.returncode, out, err


# --- another user -------------------------------------------------------------------


def nobody_python() -> tuple[str, str]:
    """A Python that the user ``nobody`` can run, and the PYTHONPATH under
    which it imports this package; the test is skipped where there is none
    (not root, no runuser)."""
    found = _nobody_python()
    if isinstance(found, str):
        pytest.skip(found)
    return found


@functools.cache
def _nobody_python() -> tuple[str, str] | str:
    if os.geteuid() != 0 or shutil.which("runuser") is None:
        return "needs root and runuser, to run a command as another user"
    paths = os.pathsep.join(site.getsitepackages())
    for python in dict.fromkeys((sys.executable, shutil.which("python3"), "/usr/bin/python3")):
        if not python:
            continue
        tried = subprocess.run(
            [*_NOBODY, f"PYTHONPATH={paths}", python, "-c", "import incidents.cli"],
            capture_output=True,
            timeout=60,
        )
        if tried.returncode == 0:
            return python, paths
    return "no Python that the user nobody can run with this package"


_NOBODY = ["runuser", "-u", "nobody", "--", "env"]


@contextlib.contextmanager
def public_directory(mode: int) -> Iterator[Path]:
    """A new directory that another user can reach (pytest's own are private
    to us), with ``mode``; removed afterwards."""
    directory = Path(tempfile.mkdtemp(prefix="incidents-test-", dir="/tmp"))
    directory.chmod(mode)
    try:
        yield directory
    finally:
        shutil.rmtree(directory, ignore_errors=True)


def as_nobody(
    *args: str | Path, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """``incidents ARGS`` run as the user ``nobody`` (HOME and the cache in /tmp)."""
    python, paths = nobody_python()
    settings = {"PYTHONPATH": paths, "HOME": "/tmp", "XDG_CACHE_HOME": "/tmp/.nobody-cache"}
    settings.update(env or {})
    return subprocess.run(
        [*_NOBODY, *(f"{k}={v}" for k, v in settings.items()), python, "-m", "incidents"]
        + [str(a) for a in args],
        capture_output=True,
        text=True,
        timeout=120,
    )
