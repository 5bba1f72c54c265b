"""The keys every edition shares — a row's ``total``, ``na`` for a figure that does not apply,
and how ``na`` is printed — read from ``editions/common.yaml``.

A leaf module: the table kinds (``gxgen.kinds``) and the editions both use these, and the
editions import the kinds, so the data is read here, where neither has to import the other.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

import yaml

COMMON = Path(__file__).resolve().parent / "editions" / "common.yaml"


@functools.cache
def common() -> dict[str, Any]:
    """``editions/common.yaml``, read once per process."""
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    return yaml.load(COMMON.read_text("utf-8"), Loader=loader)  # noqa: S506 - a safe loader


TOTAL_KEY: str = common()["keys"]["total"]
"""The key of a 总计 column or row in the facts."""

NA: str = common()["keys"]["na"]
"""The value of a figure that does not apply (printed ``NA_PRINTED``)."""

NA_PRINTED: str = common()["keys"]["na_printed"]
"""How a figure that does not apply is printed ("/")."""
