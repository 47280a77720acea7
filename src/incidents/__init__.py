"""incidents: look up terrorist and political violence incidents."""

from typing import Any


def __getattr__(name: str) -> Any:
    # Looked up on demand: importlib.metadata costs tens of milliseconds at
    # start-up, and most commands never ask for the version.
    if name == "__version__":
        from importlib.metadata import PackageNotFoundError, version

        try:
            return version("incidents")
        except PackageNotFoundError:  # a source tree that is not installed
            return "0+unknown"
    raise AttributeError(f"module 'incidents' has no attribute {name!r}")
