"""Chinese numbering of sections and items: 一、二、… and （一）（二）…, without bound.

The statutory format numbers its sections 一、 to 六、 and the items under them （一）, （二）…;
an extension may add sections and a narrative may hold a long list, so numbers go on the
way a Chinese document writes them: 十、十一、…、十九、二十、…、九十九、一百、一百零一、一百一十、
…、一千、一万…. Every place that numbers something uses this module.
"""

from __future__ import annotations

DIGITS = "零一二三四五六七八九"
UNITS = ("", "十", "百", "千")
CHARACTERS = DIGITS + "十百千万亿"
"""Every character a number may contain (for patterns that recognise numbered labels)."""
VALUES = {c: i for i, c in enumerate(DIGITS)} | {"〇": 0, "两": 2, "兩": 2}
SCALES = {"十": 10, "百": 100, "千": 1000}


def _group(n: int) -> str:
    """``1 ≤ n ≤ 9999`` in full (``一千零一十``), each zero run read as one 零."""
    out: list[str] = []
    zero = False
    for power in (3, 2, 1, 0):
        digit = n // 10 ** power % 10
        if digit == 0:
            zero = bool(out)
            continue
        if zero:
            out.append("零")
            zero = False
        out.append(DIGITS[digit] + UNITS[power])
    return "".join(out)


def numeral(n: int) -> str:
    """``n ≥ 1`` as a Chinese numeral: 一, 十, 十一, 二十, 一百, 一百零一, 一百一十, 一万零一 …"""
    if n < 1:
        raise ValueError(f"numbers start at 1, got {n}")
    text = _spell(n)
    return text[1:] if text.startswith("一十") else text


def _spell(n: int) -> str:
    """``n ≥ 1`` in 万/亿 groups; past 亿 the count of 亿 is itself spelt (一亿亿 …)."""
    if n >= 10 ** 8:
        high, low = divmod(n, 10 ** 8)
        return _spell(high) + "亿" + (_tail(low, 10 ** 7) if low else "")
    high, low = divmod(n, 10 ** 4)
    if not high:
        return _group(low)
    return _group(high) + "万" + (_tail(low, 10 ** 3) if low else "")


def _tail(n: int, lead: int) -> str:
    """The lower part after 万 or 亿: a 零 first when its leading place is empty."""
    return ("零" if n < lead else "") + _spell(n)


def section_number(index: int) -> str:
    """The number of the ``index``-th section (from 0): ``一、`` … ``十一、`` …"""
    return numeral(index + 1) + "、"


def item_number(index: int) -> str:
    """The number of the ``index``-th item of a list (from 0): ``（一）`` … ``（一百一十）``."""
    return f"（{numeral(index + 1)}）"


def parse(text: str) -> int | None:
    """The reverse of ``numeral``, as reports write counts: ``十二`` → 12, ``一百零五`` → 105,
    ``两千三百`` → 2300; ``None`` for digit strings such as ``二〇二一`` or ``一二`` (a year
    or a list, not a count)."""
    total = section = 0
    digit: int | None = None
    for ch in text:
        if ch in VALUES:
            if digit is not None and VALUES[ch] != 0:
                return None
            digit = VALUES[ch] if VALUES[ch] else None
        elif ch in SCALES:
            section += (digit if digit is not None else 1) * SCALES[ch]
            digit = None
        elif ch in "万萬":
            total += (section + (digit or 0)) * 10000
            section, digit = 0, None
        else:
            return None
    return total + section + (digit or 0)
