"""Table kinds: one module per kind, found by name through this registry.

An edition's or extension's table declares ``kind: matrix``; ``editions.table_from_data``
asks ``get(kind)`` for the class that reads the rest of the declaration. A new kind is a new
module with a ``TableKind`` subclass and one ``register`` call (see ``base.TableKind`` for
what it must know). Nothing outside this package branches on a kind's name.
"""

from __future__ import annotations

from gxgen.kinds.base import TableKind
from gxgen.kinds.blocks import Blocks
from gxgen.kinds.indicators import Indicators
from gxgen.kinds.matrix import Matrix

_KINDS: dict[str, type[TableKind]] = {}


def register(name: str, cls: type[TableKind]) -> None:
    """Make ``kind: name`` in a table declaration mean ``cls`` (a later call replaces it)."""
    _KINDS[name] = cls


def get(name: str) -> type[TableKind]:
    """The kind registered as ``name``; ``KeyError`` when there is none."""
    try:
        return _KINDS[name]
    except KeyError:
        raise KeyError(f"unknown table kind {name!r}") from None


def find(name: object) -> type[TableKind] | None:
    """The kind registered as ``name``, or ``None`` (for declarations not yet checked)."""
    return _KINDS.get(name) if isinstance(name, str) else None


def names() -> tuple[str, ...]:
    return tuple(_KINDS)


for _cls in (Blocks, Matrix, Indicators):
    register(_cls.name, _cls)

__all__ = ["Blocks", "Indicators", "Matrix", "TableKind", "find", "get", "names", "register"]
