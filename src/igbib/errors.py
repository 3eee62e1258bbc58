"""Errors igbib raises on purpose.

Every exception here carries a message meant for the user and an exit code;
the command line prints ``error: <message>`` on one line and exits with it.
Any other exception escaping the library is a bug.

    IgbibError                  exit 1
    ├── UsageError              exit 2: a command line igbib does not understand
    ├── InvalidIdentifier       an id that is not a PMID, PMCID, DOI, arXiv id or known URL
    ├── NotFound                a reference that matches no paper
    ├── QueryError              a search query that cannot be run
    ├── ImportFileError         a file igbib cannot import (unreadable, binary, unknown format)
    ├── LibraryError            exit 3: the database cannot be used (missing, corrupt,
    │                           not SQLite, not igbib's, written by a newer igbib) or
    │                           written (a full disk, read-only, locked by another program)
    └── SourceError             exit 4: an online service cannot be reached or fails
"""

from __future__ import annotations

EXIT_OK = 0
EXIT_ERROR = 1
EXIT_USAGE = 2
EXIT_LIBRARY = 3
EXIT_NETWORK = 4
EXIT_INTERRUPTED = 130


class IgbibError(Exception):
    """Base class: ``str(err)`` is shown to the user as it is."""

    exit_code = 1


class UsageError(IgbibError):
    """An unknown option, a bad option value, a missing argument."""

    exit_code = EXIT_USAGE


class InvalidIdentifier(IgbibError):
    pass


class NotFound(IgbibError):
    pass


class QueryError(IgbibError):
    pass


class ImportFileError(IgbibError):
    pass


class LibraryError(IgbibError):
    exit_code = EXIT_LIBRARY


class SourceError(IgbibError):
    """PubMed, Crossref or doi.org could not answer (network down, 5xx, rate limit)."""

    exit_code = EXIT_NETWORK


class Refused(IgbibError):
    """A change igbib will not make as asked (an edit that is not valid, an undo that
    would lose a later change); the library is unchanged."""
