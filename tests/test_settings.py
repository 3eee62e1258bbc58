"""Settings: every one checked, with one line naming it; no secret in any message.

The API key and the e-mail address may be anywhere in a broken config file: on a
line before any section, on a line that is no setting, as another setting's value,
as a section's name. No message quotes a value or a line of the file.
"""

import pytest
from conftest import igbib, one_line_error

from igbib.config import SettingError, load_check_config, load_settings, redact

KEY = "Zq81SecretApiKey0x"
EMAIL = "hidden.curator@example.org"


@pytest.fixture
def config(tmp_path, monkeypatch):
    """A config file at $IGBIB_CONFIG, written by the test; no setting from the environment."""
    path = tmp_path / "config.ini"
    monkeypatch.setenv("IGBIB_CONFIG", str(path))
    for variable in ("NCBI_API_KEY", "IGBIB_EMAIL", "IGBIB_TIMEOUT", "IGBIB_RETRIES"):
        monkeypatch.delenv(variable, raising=False)
    monkeypatch.setenv("IGBIB_CACHE_DIR", str(tmp_path / "cache"))
    # No service URL here: each case stops at its setting, before any request (a
    # command that went on would try the internet, which the tests refuse).
    monkeypatch.delenv("IGBIB_EUTILS_URL", raising=False)
    return path


BAD_ENVIRONMENT = [
    ("IGBIB_RETRIES", "-1", "a whole number from 0 to 10"),
    ("IGBIB_RETRIES", "11", "a whole number from 0 to 10"),
    ("IGBIB_RETRIES", "two", "a whole number from 0 to 10"),
    ("IGBIB_TIMEOUT", "0", "a number of seconds above 0, such as 30"),
    ("IGBIB_TIMEOUT", "nan", "a number of seconds above 0, such as 30"),
    ("IGBIB_TIMEOUT", "inf", "a number of seconds above 0, such as 30"),
    ("IGBIB_TIMEOUT", "-3", "a number of seconds above 0, such as 30"),
    (
        "IGBIB_BACKOFF",
        "abc",
        "a number of seconds, 0 or more, such as 0.5 (the first retry's wait)",
    ),
    (
        "IGBIB_BACKOFF",
        "nan",
        "a number of seconds, 0 or more, such as 0.5 (the first retry's wait)",
    ),
    ("IGBIB_DEADLINE", "0", "a number of seconds above 0, such as 600"),
    ("IGBIB_DEADLINE", "1e999", "a number of seconds above 0, such as 600"),
    ("IGBIB_CACHE_TTL", "-1", "a whole number of seconds, 0 or more (0: no cache)"),
    ("IGBIB_CACHE_TTL", "1.5", "a whole number of seconds, 0 or more (0: no cache)"),
    ("IGBIB_EFETCH_BATCH", "0", "a whole number from 1 to 200"),
    ("IGBIB_EFETCH_BATCH", "500", "a whole number from 1 to 200"),
    ("IGBIB_EUTILS_URL", "eutils.ncbi.nlm.nih.gov", "an http:// or https:// address"),
    ("IGBIB_CROSSREF_URL", "ftp://api.crossref.org/", "an http:// or https:// address"),
    ("IGBIB_EMAIL", "me at example org", "an e-mail address such as you@example.org"),
    ("NCBI_API_KEY", "key with spaces", "an NCBI API key (letters and digits)"),
]


@pytest.mark.parametrize(("variable", "value", "expected"), BAD_ENVIRONMENT)
def test_a_bad_setting_is_one_line_naming_it(
    config, monkeypatch, db_path, variable, value, expected
):
    monkeypatch.setenv(variable, value)
    result = igbib("add", "19008416", "--db", db_path)
    assert one_line_error(result, 2) == f"error: bad setting {variable}: {expected}"
    assert not db_path.exists()


def test_a_bad_setting_in_the_file_names_the_key_and_the_file(config, db_path):
    config.write_text(f"[igbib]\nncbi_api_key = {KEY}\ntimeout = soon\n")
    result = igbib("add", "19008416", "--db", db_path)
    assert one_line_error(result, 2) == (
        f"error: bad setting timeout in {config}: a number of seconds above 0, such as 30"
    )


def test_the_environment_wins_over_the_file(config, monkeypatch):
    config.write_text("[igbib]\ntimeout = 0\nretries = 2\n")
    monkeypatch.setenv("IGBIB_TIMEOUT", "12.5")
    settings = load_settings()
    assert (settings.timeout, settings.retries, settings.deadline) == (12.5, 2, 600.0)


#: Broken config files, with the API key and the e-mail address in every place they can be.
SHAPES = {
    "no section header": f"ncbi_api_key = {KEY}\nemail = {EMAIL}\n",
    "settings before the header": f"ncbi_api_key = {KEY}\n[igbib]\nemail = {EMAIL}\n",
    "the key alone on a line": f"[igbib]\n{KEY}\n",
    "the e-mail alone on a line": f"[igbib]\nemail = {EMAIL}\n{EMAIL}\n",
    "the key as a section": f"[{KEY}]\nx = 1\n[{KEY}]\n",
    "the key given twice": f"[igbib]\nncbi_api_key = {KEY}\nncbi_api_key = {KEY}\n",
    "an unknown setting given twice": f"[igbib]\n{KEY} = 1\n{KEY} = 2\n",
    "the key as the timeout": f"[igbib]\ntimeout = {KEY}\n",
    "the key as the retries": f"[igbib]\nretries = {KEY}\n",
    "the key as a URL": f"[igbib]\neutils_url = {KEY}\n",
    "the e-mail as the backoff": f"[igbib]\nbackoff = {EMAIL}\n",
    "the e-mail as the deadline": f"[igbib]\ndeadline = {EMAIL}\n",
    "the key as the e-mail": f"[igbib]\nemail = {KEY} {KEY}\n",
    "the e-mail as the key": f"[igbib]\nncbi_api_key = {EMAIL} x\n",
    "a key with % signs": f"[igbib]\nncbi_api_key = {KEY}%(x)s%\ntimeout = 0\n",
    "a continuation line": f"[igbib]\ntimeout = 0\n  {KEY}\n",
    "a key in another section": f"[check]\nignore = {KEY}\n[igbib]\nretries = -1\n",
    "not UTF-8": None,
}


@pytest.mark.parametrize("shape", SHAPES, ids=list(SHAPES))
def test_no_secret_in_any_message_whatever_the_config_shape(config, db_path, shape):
    text = SHAPES[shape]
    if text is None:
        config.write_bytes(f"[igbib]\nncbi_api_key = {KEY}\n".encode() + b"\xff\xfe\n")
    else:
        config.write_text(text)
    result = igbib("add", "19008416", "--db", db_path)
    output = result.stdout + result.stderr
    assert KEY not in output and EMAIL not in output
    assert "Zq81" not in output and "hidden.curator" not in output  # not even a part
    line = one_line_error(result, 2)
    assert str(config) in line


def test_no_secret_in_a_check_config_error(config, seed_db):
    config.write_text(f"ncbi_api_key = {KEY}\n[check]\nignore = et-al\n")
    result = igbib("check", "--db", seed_db)
    assert KEY not in result.stdout + result.stderr
    line = one_line_error(result, 2)
    assert line == (
        f"error: the config file {config}, line 1: a setting before any section; "
        "the settings go under a line [igbib]"
    )
    with pytest.raises(SettingError):
        load_check_config()


def test_no_secret_in_a_network_error_even_in_the_urls(config, db_path, monkeypatch):
    monkeypatch.setenv("NCBI_API_KEY", KEY)
    monkeypatch.setenv("IGBIB_EMAIL", EMAIL)
    monkeypatch.setenv("IGBIB_RETRIES", "0")
    monkeypatch.setenv("IGBIB_EUTILS_URL", f"http://127.0.0.1:9/eutils/?api_key={KEY}")
    result = igbib("add", "19008416", "--db", db_path)
    assert KEY not in result.stdout + result.stderr and EMAIL not in result.stderr
    assert one_line_error(result, 4).endswith("connection refused")


def test_redact_masks_the_secrets_and_their_encoded_forms():
    text = f"GET /x?email={EMAIL.replace('@', '%40')}&id=1 from {EMAIL} with {KEY}; mailto={EMAIL}"
    assert redact(text, [KEY, EMAIL]) == "GET /x?email=***&id=1 from *** with ***; mailto=***"
