"""incidents: look up terrorist and political violence incidents."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("incidents")
except PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0+unknown"
