"""Commands over many facts files: ``batch``, ``rollup``, ``diff``."""

from __future__ import annotations

import click

COMMANDS: list[click.Command] = []
