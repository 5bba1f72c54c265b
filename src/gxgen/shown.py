"""How values and JSON types are named in messages, as catalogue parts said at format time.

Shared by the facts schema and the extension definitions' checks: kept apart from both so that
neither imports the other to say what a value is.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from gxgen.messages import LIST_OR, listed, nested, resolve

TYPE_NAMES: dict[str, str] = {
    "string": "type_string", "object": "type_object", "array": "type_array",
    "integer": "type_integer", "number": "type_number", "boolean": "type_boolean",
    "null": "type_null",
}
"""JSON Schema types as messages name them (message codes)."""


def type_names(kinds: Iterable[str]) -> dict[str, Any]:
    """JSON Schema types as alternatives: 文字或列表 / text or a list."""
    return listed((nested(TYPE_NAMES[k]) if k in TYPE_NAMES else k for k in kinds), LIST_OR)


def shown(value: Any) -> dict[str, Any] | str:
    """A value as the author wrote it, for messages (text in “”, nothing as 空 / empty)."""
    if value is None:
        return nested("value_empty")
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        text = value if len(value) <= 30 else value[:30] + "…"
        return f"“{text}”"
    if isinstance(value, dict):
        return nested("value_mapping")
    if isinstance(value, list):
        return nested("kind_list")
    return str(value)


def show(value: Any, lang: str = "zh") -> str:
    """``shown`` said in ``lang``."""
    return str(resolve(shown(value), lang))
