"""The errors kg raises for problems a user can fix; the CLI prints them without a traceback."""
from __future__ import annotations

__all__ = ["KGError", "ConfigError", "InputError", "OutputError"]


class KGError(Exception):
    """Base of every expected failure: the message says what went wrong and what to do."""


class ConfigError(KGError):
    """config.yaml (or a lexicon it names) is missing, malformed or holds a bad value."""


class InputError(KGError):
    """An input path does not exist or holds nothing kg can read."""


class OutputError(KGError):
    """The output folder cannot be created or written."""
