"""Errors igbib raises on purpose.

Every exception here carries a message meant for the user and an exit code;
the command line prints ``error: <message>`` on one line and exits with it.
Any other exception escaping the library is a bug.

    IgbibError                  exit 1
    ├── InvalidIdentifier       an id that is not a PMID, PMCID, DOI, arXiv id or known URL
    ├── NotFound                a reference that matches no paper
    ├── QueryError              a search query that cannot be run
    ├── ImportFileError         a file igbib cannot import (unreadable, binary, unknown format)
    ├── LibraryError            exit 3: the database cannot be used (missing, corrupt,
    │                           not SQLite, not igbib's, written by a newer igbib)
    └── SourceError             exit 4: an online service cannot be reached or fails
"""

from __future__ import annotations


class IgbibError(Exception):
    """Base class: ``str(err)`` is shown to the user as it is."""

    exit_code = 1


class InvalidIdentifier(IgbibError):
    pass


class NotFound(IgbibError):
    pass


class QueryError(IgbibError):
    pass


class ImportFileError(IgbibError):
    pass


class LibraryError(IgbibError):
    exit_code = 3


class SourceError(IgbibError):
    """PubMed, Crossref or doi.org could not answer (network down, 5xx, rate limit)."""

    exit_code = 4
