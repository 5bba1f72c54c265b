"""Writers: lay out the document model in each output format."""

from __future__ import annotations

from pathlib import Path


class WriterError(ValueError):
    """A problem the user can fix (an unusable template…): one line, no traceback; ``str()``
    is the Chinese line, ``message(lang)`` the line in the user's language."""

    def message(self, lang: str) -> str:
        return str(self)


def template_folders() -> list[Path]:
    """Where gxgen's own templates are: ``gxgen/templates`` in an installed wheel,
    ``templates/`` at the root of a checkout (``pyproject``'s force-include maps one onto the
    other). Those that exist, in that order."""
    package = Path(__file__).resolve().parent.parent
    folders = [package / "templates", package.parent.parent / "templates"]
    return [folder for folder in folders if folder.is_dir()]
