"""The exceptions the core raises; only the command line turns them into exits."""

from __future__ import annotations


class IncidentsError(Exception):
    """Something the user must fix: bad data, an unreadable file, an unknown id."""


class QueryError(IncidentsError):
    """A query that cannot be answered as asked (an unknown id, say)."""
