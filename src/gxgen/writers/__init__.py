"""Writers: lay out the document model in each output format."""


class WriterError(ValueError):
    """A problem the user can fix (an unusable template…): one line, no traceback; ``str()``
    is the Chinese line, ``message(lang)`` the line in the user's language."""

    def message(self, lang: str) -> str:
        return str(self)
