"""Settings for talking to the online services: from the environment, else a config file.

Environment variables win over the file. The file is INI, at ``$IGBIB_CONFIG`` or
``config.ini`` in the user config directory (``~/.config/igbib/`` on Linux)::

    [igbib]
    email = you@example.org
    ncbi_api_key = ...
    eutils_url = https://eutils.ncbi.nlm.nih.gov/entrez/eutils/
    cache_ttl = 604800

The API key and e-mail are secrets of sorts: :func:`redact` removes them from
anything igbib prints.
"""

from __future__ import annotations

import os
import re

DEFAULTS = {
    "email": "",
    "ncbi_api_key": "",
    "eutils_url": "https://eutils.ncbi.nlm.nih.gov/entrez/eutils/",
    "idconv_url": "https://pmc.ncbi.nlm.nih.gov/tools/idconv/api/v1/articles/",
    "crossref_url": "https://api.crossref.org/",
    "doi_url": "https://doi.org/",
    "cache_ttl": str(7 * 24 * 3600),
    "timeout": "30",
    "retries": "4",
    "efetch_batch": "200",
}
ENVIRONMENT = {
    "email": "IGBIB_EMAIL",
    "ncbi_api_key": "NCBI_API_KEY",
    "eutils_url": "IGBIB_EUTILS_URL",
    "idconv_url": "IGBIB_IDCONV_URL",
    "crossref_url": "IGBIB_CROSSREF_URL",
    "doi_url": "IGBIB_DOI_URL",
    "cache_ttl": "IGBIB_CACHE_TTL",
    "timeout": "IGBIB_TIMEOUT",
    "retries": "IGBIB_RETRIES",
    "efetch_batch": "IGBIB_EFETCH_BATCH",
}


class Settings:
    """Resolved settings; every URL ends with ``/``."""

    def __init__(self, values: dict[str, str]):
        self.email = values["email"].strip()
        self.ncbi_api_key = values["ncbi_api_key"].strip()
        self.eutils_url = _slash(values["eutils_url"])
        self.idconv_url = _slash(values["idconv_url"])
        self.crossref_url = _slash(values["crossref_url"])
        self.doi_url = _slash(values["doi_url"])
        self.cache_ttl = int(values["cache_ttl"])
        self.timeout = float(values["timeout"])
        self.retries = int(values["retries"])
        # NCBI allows up to 200 ids a request; a smaller batch suits a flaky network.
        self.efetch_batch = max(1, min(200, int(values["efetch_batch"])))

    def secrets(self) -> list[str]:
        return [s for s in (self.ncbi_api_key, self.email) if s]


def _slash(url: str) -> str:
    url = url.strip()
    return url if url.endswith("/") else url + "/"


def config_path() -> str:
    explicit = os.environ.get("IGBIB_CONFIG")
    if explicit:
        return explicit
    from platformdirs import user_config_dir

    return os.path.join(user_config_dir("igbib", appauthor=False), "config.ini")


def load_settings() -> Settings:
    from igbib.errors import IgbibError

    values = dict(DEFAULTS)
    path = config_path()
    if os.path.isfile(path):
        import configparser

        parser = configparser.ConfigParser()
        try:
            parser.read(path, encoding="utf-8")
        except (configparser.Error, UnicodeDecodeError) as exc:
            raise IgbibError(f"{path}: cannot read the config file ({exc})") from None
        if parser.has_section("igbib"):
            for key in DEFAULTS:
                if parser.has_option("igbib", key):
                    values[key] = parser.get("igbib", key)
    for key, variable in ENVIRONMENT.items():
        if os.environ.get(variable):
            values[key] = os.environ[variable]
    try:
        return Settings(values)
    except ValueError as exc:
        raise IgbibError(f"bad setting: {exc}") from None


def redact(text: str, secrets: list[str]) -> str:
    """``text`` with every secret and every ``api_key=``/``email=`` value masked."""
    for secret in secrets:
        text = text.replace(secret, "***")
    return re.sub(r"(?i)\b(api_key|email)=[^&\s'\"]*", r"\1=***", text)


def load_check_config() -> dict[str, str]:
    """The ``[check]`` section of the config file (``igbib check``'s defaults), as written::

    [check]
    ignore = no-journal, et-al
    fuzzy_threshold = 90
    """
    from igbib.errors import IgbibError

    path = config_path()
    if not os.path.isfile(path):
        return {}
    import configparser

    parser = configparser.ConfigParser()
    try:
        parser.read(path, encoding="utf-8")
    except (configparser.Error, UnicodeDecodeError) as exc:
        raise IgbibError(f"{path}: cannot read the config file ({exc})") from None
    return dict(parser.items("check")) if parser.has_section("check") else {}
