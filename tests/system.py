"""Cases that need something of the machine (root, a device, a mount, another user).

Where the machine cannot give it, such a case skips; CI sets
``IGBIB_REQUIRE_SYSTEM_CASES=1`` (it runs as root, with mount rights), so there a
case that cannot run fails instead of skipping.
"""

import os

import pytest

ROOT = os.name != "nt" and os.geteuid() == 0
REQUIRED = bool(os.environ.get("IGBIB_REQUIRE_SYSTEM_CASES"))


def unavailable(reason: str):
    """Skip this case for ``reason``, or fail where the system cases are required."""
    if REQUIRED:
        pytest.fail(f"IGBIB_REQUIRE_SYSTEM_CASES is set but {reason}", pytrace=False)
    pytest.skip(reason)


def needs_root(what: str):
    """Stop here unless running as root (``what`` says what root is needed for)."""
    if not ROOT:
        unavailable(f"only root can {what}")
