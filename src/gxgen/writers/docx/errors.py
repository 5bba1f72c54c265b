"""The one error of the DOCX writer: a template that cannot be used.

It is raised deep inside template preparation, far from whoever prints it, so it carries a
message-catalogue code and its parameters (as ``files.Refused`` does) and is put into words
where it is printed: ``message(lang)``; ``str()`` is the Chinese line, for callers that
print it as it is.
"""

from __future__ import annotations

from typing import Any

from gxgen.messages import render as render_message
from gxgen.writers import WriterError


class DocxTemplateError(WriterError):
    """A Word template that cannot be used. ``code`` is a message-catalogue key; a parameter
    may itself be a ``DocxTemplateError`` (the reason inside "template … is not usable", or a
    ``files.Refused`` carried over by its code), said in the same language as the line."""

    def __init__(self, code: str, **params: Any) -> None:
        self.code = code
        self.params = params
        super().__init__(self.message("zh"))

    def message(self, lang: str) -> str:
        """The line in ``lang`` (``zh`` or ``en``)."""
        said = {name: _said(value, lang) for name, value in self.params.items()}
        return render_message(self.code, lang, said)

    def __reduce__(self) -> tuple[Any, ...]:
        """Pickled by code and parameters (a worker process may send it back)."""
        return (_rebuild, (type(self), self.code, self.params))


def _rebuild(cls: type[DocxTemplateError], code: str, params: dict[str, Any]) -> Any:
    return cls(code, **params)


def _said(value: Any, lang: str) -> Any:
    """A nested reason in ``lang``, on one line; any other parameter as it is."""
    if isinstance(value, DocxTemplateError):
        return " ".join(value.message(lang).split())
    return value
