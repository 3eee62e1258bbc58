"""Settings for talking to the online services: from the environment, else a config file.

Environment variables win over the file. The file is INI, at ``$IGBIB_CONFIG`` or
``config.ini`` in the user config directory (``~/.config/igbib/`` on Linux)::

    [igbib]
    email = you@example.org
    ncbi_api_key = ...
    openalex_api_key = ...
    s2_api_key = ...
    eutils_url = https://eutils.ncbi.nlm.nih.gov/entrez/eutils/
    cache_ttl = 604800

Every setting is checked when it is read: a bad one is a :class:`SettingError`
naming it (``IGBIB_TIMEOUT``, or ``timeout`` in the file) and what it must be.

The API key and e-mail are secrets of sorts: :func:`redact` removes them from
anything igbib prints, and no message ever quotes a setting's value or a line of
the config file (the key may be anywhere in it: on a line without its section,
as another setting's value, as a section's name).
"""

from __future__ import annotations

import math
import os
import re

from igbib.errors import EXIT_USAGE, IgbibError

DEFAULTS = {
    "email": "",
    "ncbi_api_key": "",
    "eutils_url": "https://eutils.ncbi.nlm.nih.gov/entrez/eutils/",
    "idconv_url": "https://pmc.ncbi.nlm.nih.gov/tools/idconv/api/v1/articles/",
    "crossref_url": "https://api.crossref.org/",
    "doi_url": "https://doi.org/",
    "openalex_api_key": "",
    "s2_api_key": "",
    "openalex_url": "https://api.openalex.org/",
    "s2_url": "https://api.semanticscholar.org/",
    "cache_ttl": str(7 * 24 * 3600),
    "timeout": "30",
    "deadline": "600",
    "retries": "4",
    "backoff": "0.5",
    "efetch_batch": "200",
}
ENVIRONMENT = {
    "email": "IGBIB_EMAIL",
    "ncbi_api_key": "NCBI_API_KEY",
    "eutils_url": "IGBIB_EUTILS_URL",
    "idconv_url": "IGBIB_IDCONV_URL",
    "crossref_url": "IGBIB_CROSSREF_URL",
    "doi_url": "IGBIB_DOI_URL",
    "openalex_api_key": "OPENALEX_API_KEY",
    "s2_api_key": "S2_API_KEY",
    "openalex_url": "IGBIB_OPENALEX_URL",
    "s2_url": "IGBIB_S2_URL",
    "cache_ttl": "IGBIB_CACHE_TTL",
    "timeout": "IGBIB_TIMEOUT",
    "deadline": "IGBIB_DEADLINE",
    "retries": "IGBIB_RETRIES",
    "backoff": "IGBIB_BACKOFF",
    "efetch_batch": "IGBIB_EFETCH_BATCH",
}
#: The sections of the config file igbib reads.
SECTIONS = ("igbib", "check")
MAX_RETRIES = 10
MAX_BATCH = 200  # NCBI's limit of ids a request


class SettingError(IgbibError):
    """A setting igbib cannot use; the message names it and never quotes its value."""

    exit_code = EXIT_USAGE


class Settings:
    """Resolved, checked settings; every URL ends with ``/``.

    ``origin`` says where each value came from (the variable, or the key in the
    file), so that an error names what the user has to change.
    """

    def __init__(self, values: dict[str, str], origin: dict[str, str] | None = None):
        origin = origin or {}

        def check(key, convert, expected):
            try:
                return convert(values[key])
            except (TypeError, ValueError):
                where = origin.get(key) or ENVIRONMENT[key]
                raise SettingError(f"bad setting {where}: {expected}") from None

        self.email = check("email", _contact, "an e-mail address such as you@example.org")
        self.ncbi_api_key = check("ncbi_api_key", _token, "an NCBI API key (letters and digits)")
        urls = "an http:// or https:// address"
        self.eutils_url = check("eutils_url", _url, urls)
        self.idconv_url = check("idconv_url", _url, urls)
        self.crossref_url = check("crossref_url", _url, urls)
        self.doi_url = check("doi_url", _url, urls)
        # Optional sources of ``igbib related``: each is asked when its key is set.
        self.openalex_api_key = check(
            "openalex_api_key", _token, "an OpenAlex API key (letters and digits)"
        )
        self.s2_api_key = check("s2_api_key", _token, "a Semantic Scholar API key (no spaces)")
        self.openalex_url = check("openalex_url", _url, urls)
        self.s2_url = check("s2_url", _url, urls)
        self.cache_ttl = check(
            "cache_ttl", _count(0, None), "a whole number of seconds, 0 or more (0: no cache)"
        )
        #: seconds one request may take, from connecting to its last byte
        self.timeout = check("timeout", _seconds, "a number of seconds above 0, such as 30")
        #: seconds a whole command may spend on the network
        self.deadline = check("deadline", _seconds, "a number of seconds above 0, such as 600")
        self.retries = check(
            "retries", _count(0, MAX_RETRIES), f"a whole number from 0 to {MAX_RETRIES}"
        )
        self.backoff = check(
            "backoff",
            _delay,
            "a number of seconds, 0 or more, such as 0.5 (the first retry's wait)",
        )
        # NCBI allows up to 200 ids a request; a smaller batch suits a flaky network.
        self.efetch_batch = check(
            "efetch_batch", _count(1, MAX_BATCH), f"a whole number from 1 to {MAX_BATCH}"
        )

    def secrets(self) -> list[str]:
        keys = (self.ncbi_api_key, self.openalex_api_key, self.s2_api_key, self.email)
        return [s for s in keys if s]


def _number(text: str) -> float:
    number = float(text.strip())
    if not math.isfinite(number):
        raise ValueError("not finite")
    return number


def _seconds(text: str) -> float:
    number = _number(text)
    if number <= 0:
        raise ValueError("not above 0")
    return number


def _delay(text: str) -> float:
    number = _number(text)
    if number < 0:
        raise ValueError("below 0")
    return number


def _count(low: int, high: int | None):
    def convert(text: str) -> int:
        number = int(text.strip())
        if number < low or (high is not None and number > high):
            raise ValueError("out of range")
        return number

    return convert


_CONTROL = re.compile(r"[\x00-\x1f\x7f\s]")


def _contact(text: str) -> str:
    """An e-mail address: it goes in the User-Agent header, so one word with an @."""
    text = text.strip()
    if text and ("@" not in text or _CONTROL.search(text)):
        raise ValueError("not an e-mail address")
    return text


def _token(text: str) -> str:
    text = text.strip()
    if _CONTROL.search(text):
        raise ValueError("spaces or control characters")
    return text


def _url(text: str) -> str:
    from urllib.parse import urlsplit

    url = text.strip()
    try:
        parts = urlsplit(url)
    except ValueError:
        raise ValueError("not a URL") from None
    if parts.scheme not in ("http", "https") or not parts.hostname or _CONTROL.search(url):
        raise ValueError("not an http(s) URL")
    return url if url.endswith("/") else url + "/"


def config_path() -> str:
    explicit = os.environ.get("IGBIB_CONFIG")
    if explicit:
        return explicit
    from platformdirs import user_config_dir

    return os.path.join(user_config_dir("igbib", appauthor=False), "config.ini")


def read_config(path: str):
    """The config file parsed, or None when there is none; a :class:`SettingError` if broken.

    The messages give the file and a line number, never the line: the file holds
    the API key, and a broken file may hold it anywhere.
    """
    import configparser

    if not os.path.exists(path):
        return None
    where = f"the config file {path}"
    if os.path.isdir(path):
        raise SettingError(f"{where} is a folder, not a file")
    # No interpolation: a '%' in a key is a character, not a syntax error quoting the value.
    parser = configparser.ConfigParser(interpolation=None)
    try:
        with open(path, encoding="utf-8-sig") as stream:
            parser.read_file(stream)
    except OSError as exc:
        raise SettingError(f"{where} cannot be read ({exc.strerror or 'error'})") from None
    except UnicodeDecodeError:
        raise SettingError(f"{where} is not UTF-8 text") from None
    except configparser.MissingSectionHeaderError as exc:
        raise SettingError(
            f"{where}, line {exc.lineno}: a setting before any section; "
            "the settings go under a line [igbib]"
        ) from None
    except configparser.DuplicateSectionError as exc:
        name = f"[{exc.section}]" if exc.section in SECTIONS else "a section"
        raise SettingError(f"{where}, line {exc.lineno}: {name} appears twice") from None
    except configparser.DuplicateOptionError as exc:
        known = exc.option in DEFAULTS and exc.section in SECTIONS
        name = f"{exc.option} in [{exc.section}]" if known else "a setting"
        raise SettingError(f"{where}, line {exc.lineno}: {name} is given twice") from None
    except configparser.ParsingError as exc:
        lines = ", ".join(str(number) for number, _line in exc.errors[:5])
        raise SettingError(
            f"{where}, line {lines}: not a 'key = value' line nor a [section]"
        ) from None
    except configparser.Error:
        raise SettingError(f"{where} is not an INI file igbib can read") from None
    return parser


def load_settings() -> Settings:
    values = dict(DEFAULTS)
    origin: dict[str, str] = {}
    path = config_path()
    parser = read_config(path)
    if parser is not None and parser.has_section("igbib"):
        for key in DEFAULTS:
            if parser.has_option("igbib", key):
                values[key] = parser.get("igbib", key)
                origin[key] = f"{key} in {path}"
    for key, variable in ENVIRONMENT.items():
        if os.environ.get(variable):
            values[key] = os.environ[variable]
            origin[key] = variable
    return Settings(values, origin)


def redact(text: str, secrets: list[str]) -> str:
    """``text`` with every secret and every ``api_key=``/``email=``/``mailto=`` value masked."""
    from urllib.parse import quote

    for secret in secrets:
        text = text.replace(secret, "***")
        encoded = quote(secret, safe="")
        if encoded != secret:
            text = text.replace(encoded, "***")
    return re.sub(r"(?i)\b(api_key|email|mailto)=[^&\s'\";]*", r"\1=***", text)


def load_check_config() -> dict[str, str]:
    """The ``[check]`` section of the config file (``igbib check``'s defaults), as written::

    [check]
    ignore = no-journal, et-al
    fuzzy_threshold = 90
    """
    parser = read_config(config_path())
    if parser is None or not parser.has_section("check"):
        return {}
    return dict(parser.items("check"))
