"""Run gxgen's command line inside the test process, the way a user's shell would.

click's ``CliRunner`` catches every exception by default and turns it into ``exit_code 1``,
so a test asserting ``exit_code == 1`` passes even when gxgen crashed. ``gxgen()`` runs the
whole command group (every command registered, as ``main()`` does) with exceptions let
through: anything but ``SystemExit`` fails the test that caused it.
"""

from __future__ import annotations

from collections.abc import Mapping

from click.testing import CliRunner, Result


def gxgen(*args: str, input: str | bytes | None = None,
          env: Mapping[str, str | None] | None = None) -> Result:
    """``gxgen ARGS…`` → the click ``Result`` (``exit_code``, ``stdout``, ``stderr``,
    ``output``). An exception inside gxgen propagates and fails the test."""
    from gxgen.cli import _register_more, cli

    _register_more()
    return CliRunner().invoke(cli, [str(a) for a in args], input=input, env=env,
                              catch_exceptions=False)
