"""The errors kg raises for problems a user can fix; the CLI prints them without a traceback."""
from __future__ import annotations

import signal

__all__ = ["KGError", "ConfigError", "InputError", "OutputError", "Interrupted"]


class KGError(Exception):
    """Base of every expected failure: the message says what went wrong and what to do."""


class ConfigError(KGError):
    """config.yaml (or a lexicon it names) is missing, malformed or holds a bad value."""


class InputError(KGError):
    """An input path does not exist or holds nothing kg can read."""


class OutputError(KGError):
    """The output folder cannot be created or written."""


class Interrupted(KeyboardInterrupt):
    """A signal (kill, a closed terminal) stopped the build.

    It is a KeyboardInterrupt so that it unwinds like Ctrl-C: every ``finally`` and
    ``atomic_write`` runs and removes its temporary file.
    """

    def __init__(self, signum: int = signal.SIGINT) -> None:
        super().__init__(signal.Signals(signum).name)
        self.signum = signum

    @property
    def exit_code(self) -> int:
        """The shell's convention: 128 + the signal number (130 for Ctrl-C)."""
        return 128 + self.signum
