"""Click's own sentences (``Usage:``, ``Error: Missing argument …``, ``… is a directory``) in
the user's language, from the message catalogue.

Click says these while it parses the command line, before ``--lang`` has a value, so the
language comes from the command line as written (``--lang en``), else ``GXGEN_LANG``, else
Chinese. Click looks its texts up through ``gettext`` in each of its modules; ``install``
points those look-ups here. A text with no catalogue entry stays as click words it.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from types import ModuleType

import click.core
import click.decorators
import click.exceptions
import click.formatting
import click.parser
import click.types

from gxgen.messages import CATALOG

CLICK_TEXTS: dict[str, str] = {
    "Usage:": "click_usage",
    "Error: {message}": "click_error",
    "Try '{command} {option}' for help.": "click_try",
    "Missing argument": "click_missing_argument",
    "Missing option": "click_missing_option",
    "Missing parameter": "click_missing_parameter",
    "Missing command.": "click_missing_command",
    "No such option {name!r}.": "click_no_option",
    "No such command {name!r}.": "click_no_command",
    "Invalid value: {message}": "click_invalid",
    "Invalid value for {param_hint}: {message}": "click_invalid_for",
    "{name} {filename!r} does not exist.": "click_not_exist",
    "{name} {filename!r} is a file.": "click_is_file",
    "{name} {filename!r} is a directory.": "click_is_directory",
    "{name} {filename!r} is not readable.": "click_not_readable",
    "{name} {filename!r} is not writable.": "click_not_writable",
    "{value!r} is not a valid {number_type}.": "click_not_number",
    "{value} is not in the range {range}.": "click_not_in_range",
    "Options": "click_options",
    "Commands": "click_commands",
    "Show this message and exit.": "click_help",
    "Show the version and exit.": "click_version",
    "Aborted!": "click_aborted",
}
"""Click's message ids (its English texts) and the catalogue codes that say them."""

CLICK_PLURALS: dict[str, str] = {
    "Got unexpected extra argument ({args})": "click_extra_arguments",
    "Option {name!r} requires an argument.": "click_needs_value",
    "{value!r} is not {choice}.": "click_not_choice",
    "Did you mean {possibility}?": "click_did_you_mean",
}
"""Click's ``ngettext`` ids (the singular) and the codes that say both numbers."""

_MODULES: tuple[ModuleType, ...] = (click.core, click.decorators, click.exceptions,
                                    click.formatting, click.parser, click.types)

_lang = "zh"


def language(argv: Sequence[str]) -> str:
    """The language of a command line: its ``--lang``, else ``GXGEN_LANG``, else zh."""
    for i, arg in enumerate(argv):
        if arg.startswith("--lang="):
            return "en" if arg.split("=", 1)[1] == "en" else "zh"
        if arg == "--lang" and i + 1 < len(argv):
            return "en" if argv[i + 1] == "en" else "zh"
    return "en" if os.environ.get("GXGEN_LANG") == "en" else "zh"


def gettext(msgid: str) -> str:
    """Click's text ``msgid`` in the language of the command line."""
    code = CLICK_TEXTS.get(msgid)
    return CATALOG[code][_lang == "en"] if code else msgid


def ngettext(singular: str, plural: str, n: int) -> str:
    """Chinese has one form for every number; English keeps click's two."""
    code = CLICK_PLURALS.get(singular)
    if code is None or _lang == "en":
        return singular if n == 1 else plural
    return CATALOG[code][0]


def install(argv: Sequence[str]) -> None:
    """Make click speak the language of ``argv`` for the rest of this process."""
    global _lang
    _lang = language(argv)
    for module in _MODULES:
        if hasattr(module, "_"):
            module._ = gettext  # type: ignore[attr-defined]
        if hasattr(module, "ngettext"):
            module.ngettext = ngettext  # type: ignore[attr-defined]
