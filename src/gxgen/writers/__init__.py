"""Writers: lay out the document model in each output format."""


class WriterError(ValueError):
    """A problem the user can fix (an unusable template…): one line, in Chinese, no traceback."""
