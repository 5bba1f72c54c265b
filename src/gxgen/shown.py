"""How values and JSON types are named in messages (Chinese, English).

Shared by the facts schema and the extension definitions' checks: kept apart from both so that
neither imports the other to say what a value is.
"""

from __future__ import annotations

from typing import Any

TYPE_NAMES: dict[str, tuple[str, str]] = {
    "string": ("文字", "text"), "object": ("“键: 值”映射", "a mapping"),
    "array": ("列表", "a list"), "integer": ("整数", "an integer"),
    "number": ("数字", "a number"), "boolean": ("true 或 false", "true or false"),
    "null": ("空", "empty"),
}
"""JSON Schema types as messages name them (Chinese, English)."""


def show(value: Any, lang: str = "zh") -> str:
    """A value as the author wrote it, for messages (text in “”, nothing as 空 / empty)."""
    en = lang == "en"
    if value is None:
        return "empty" if en else "空"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        text = value if len(value) <= 30 else value[:30] + "…"
        return f"“{text}”"
    if isinstance(value, dict):
        return "a mapping" if en else "映射"
    if isinstance(value, list):
        return "a list" if en else "列表"
    return str(value)
