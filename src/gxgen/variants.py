"""Script variants of a report: simplified, traditional (繁體), Taiwan and Hong Kong.

Statutory labels are never converted at run time: their reviewed traditional forms are stored
in ``editions/traditional.yaml`` and looked up — for the built-in editions and the built-in
extension tables alike; a label missing there is a ``MissingLabel`` error, never a silent
conversion. Only the author's narrative, and the labels of a user's own extension definition
file (which gxgen cannot have reviewed), go through OpenCC, with two gxgen dictionaries chained
into OpenCC's own configuration (``opencc/phrases.txt`` — for Hong Kong with
``opencc/phrases-hk.txt`` over it — before OpenCC's phrases, ``opencc/characters.txt`` as the
last step) and a protected-term list (statute titles, the agency's proper names) cut out before
conversion. The phrase modes ``s2twp``/``s2hkp`` are never used: they rewrite statutory terms
(规范性文件 → 規範性檔案, 信息 → 資訊).
"""

from __future__ import annotations

import copy
import functools
import json
import os
import re
import tempfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import opencc

from gxgen import editions, numbering


@dataclass(frozen=True)
class Variant:
    name: str
    lang: str
    opencc_config: str | None
    """OpenCC base configuration (``s2t``, ``s2tw``, ``s2hk``); ``None`` for simplified."""
    suffix: str
    """Appended to output file stems (``report.zh-Hant.docx``)."""

    @property
    def traditional(self) -> bool:
        return self.opencc_config is not None


VARIANTS: dict[str, Variant] = {
    "simplified": Variant("simplified", "zh-Hans", None, ""),
    "traditional": Variant("traditional", "zh-Hant", "s2t", ".zh-Hant"),
    "zh-TW": Variant("zh-TW", "zh-TW", "s2tw", ".zh-TW"),
    "zh-HK": Variant("zh-HK", "zh-HK", "s2hk", ".zh-HK"),
}

ALIASES: dict[str, tuple[str, ...]] = {"both": ("simplified", "traditional")}

BASE_CONFIGS = frozenset({"s2t", "s2tw", "s2hk"})
"""The only OpenCC configurations gxgen builds on: character-level, no regional phrases."""

REGIONAL_PHRASES: dict[str, str] = {"s2hk": "phrases-hk"}
"""gxgen phrase corrections for one region, applied over ``phrases`` (HK 匯報, not 彙報)."""

PHRASE_MODE_DICTS = ("TWPhrases", "HKPhrases")
"""OpenCC dictionaries of the phrase modes (s2twp, s2hkp); a config using one is refused."""

BUILTIN_PROTECTED: dict[str, str] = editions.common()["builtin_protected"]
"""Statute and document titles in their reviewed traditional form, and place names OpenCC
breaks in context: declared in ``editions/common.yaml`` (``builtin_protected``)."""

_DATA = resources.files(__package__).joinpath("opencc")
_N = numbering.CHARACTERS
_LIST_NUMBER = re.compile(f"([{_N}]+、|（[{_N}]+）|\\d+[.．])(.+)", re.DOTALL)
"""A list number the builder prefixes to a label: 一、 （一） 1."""


def resolve(names: Iterable[str]) -> list[Variant]:
    """The variants named (``both`` = simplified + traditional), in order, without repeats.

    Names may also be comma-separated (``simplified,zh-TW``) and are case-insensitive.
    """
    if isinstance(names, str):
        names = [names]
    by_folded = {k.casefold(): k for k in (*VARIANTS, *ALIASES)}
    out: list[Variant] = []
    for raw in names:
        for name in (p.strip() for p in raw.split(",")):
            key = by_folded.get(name.casefold())
            if key is None:
                choices = "、".join((*VARIANTS, *ALIASES))
                raise ValueError(f"未知的文字版本“{name}”，可选：{choices}")
            for variant in (VARIANTS[k] for k in ALIASES.get(key, (key,))):
                if variant not in out:
                    out.append(variant)
    return out


def read_dictionary(name: str) -> dict[str, str]:
    """A gxgen OpenCC text dictionary (``phrases``, ``phrases-hk``, ``characters``) as a
    mapping."""
    out: dict[str, str] = {}
    text = _DATA.joinpath(f"{name}.txt").read_text("utf-8")
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        key, sep, value = line.partition("\t")
        if not sep or not key or not value.split(" ")[0]:
            raise ValueError(f"opencc/{name}.txt:{number}: expected 'simplified<TAB>traditional'")
        out[key] = value.split(" ")[0]
    return out


def _opencc_share() -> Path:
    """Where the installed OpenCC wheel keeps its configs and ``.ocd2`` dictionaries."""
    default = Path(opencc.__file__).parent / "clib" / "share" / "opencc"
    share = Path(getattr(opencc, "_opencc_share_dir", default))
    if not (share / "s2t.json").is_file():
        raise RuntimeError(f"OpenCC data not found in {share}")
    return share


def _absolute(node: Any, share: Path) -> Any:
    """Copy of a config node with every dictionary file made absolute (OpenCC only searches the
    config's own directory, which for a generated config is not the wheel's data directory)."""
    if isinstance(node, dict):
        out = {k: _absolute(v, share) for k, v in node.items()}
        if "file" in out and not os.path.isabs(out["file"]):
            out["file"] = str(share / out["file"])
        return out
    if isinstance(node, list):
        return [_absolute(v, share) for v in node]
    return node


def _files(node: Any) -> Iterable[str]:
    if isinstance(node, dict):
        if "file" in node:
            yield node["file"]
        for value in node.values():
            yield from _files(value)
    elif isinstance(node, list):
        for value in node:
            yield from _files(value)


def build_config(base: str, phrases: str, characters: str) -> dict[str, Any]:
    """OpenCC's own ``base`` config with the gxgen dictionaries chained in.

    ``phrases`` joins the segmentation and the first conversion step in a ``union`` group, put
    first: the longest match wins and on equal length gxgen's entry wins. ``characters`` is
    appended as the last conversion step.
    """
    if base not in BASE_CONFIGS:
        raise ValueError(f"unsupported OpenCC config {base!r}; allowed: {sorted(BASE_CONFIGS)}")
    share = _opencc_share()
    config = _absolute(json.loads((share / f"{base}.json").read_text("utf-8")), share)
    own = {"type": "text", "file": phrases}
    first = config["conversion_chain"][0]["dict"]
    segmentation = config.get("segmentation", {"type": "mmseg", "dict": copy.deepcopy(first)})
    segmentation["dict"] = {"type": "group", "match_policy": "union",
                            "dicts": [own, segmentation["dict"]]}
    config["segmentation"] = segmentation
    config["conversion_chain"][0]["dict"] = {"type": "group", "match_policy": "union",
                                             "dicts": [own, first]}
    config["conversion_chain"].append({"dict": {"type": "text", "file": characters}})
    config["name"] = f"gxgen {base}: {config.get('name', base)}"
    used = [Path(f).stem for f in _files(config)]
    bad = [f for f in used if f.startswith(PHRASE_MODE_DICTS)]
    if bad:
        raise ValueError(f"OpenCC config {base!r} uses phrase-mode dictionaries {bad}")
    return config


def _write_dictionary(path: Path, table: Mapping[str, str]) -> None:
    path.write_text("".join(f"{k}\t{v}\n" for k, v in sorted(table.items())), "utf-8")


@functools.cache
def opencc_converter(base: str) -> opencc.OpenCC:
    """The OpenCC converter for ``base`` with gxgen's corrections, built once per process.

    The config and clean copies of the dictionaries (comments stripped, for older OpenCC text
    readers) live in a temporary directory only while OpenCC loads them.
    """
    with tempfile.TemporaryDirectory(prefix="gxgen-opencc-") as tmp:
        phrases, characters = Path(tmp, "phrases.txt"), Path(tmp, "characters.txt")
        table = read_dictionary("phrases")
        if base in REGIONAL_PHRASES:
            table.update(read_dictionary(REGIONAL_PHRASES[base]))
        _write_dictionary(phrases, table)
        _write_dictionary(characters, read_dictionary("characters"))
        config = Path(tmp, f"gxgen-{base}.json")
        config.write_text(json.dumps(build_config(base, str(phrases), str(characters)),
                                     ensure_ascii=False, indent=1), "utf-8")
        return opencc.OpenCC(str(config))


def _terms(protected: Mapping[str, str | None] | Iterable[str] | None) -> dict[str, str | None]:
    if protected is None:
        return {}
    if isinstance(protected, str):
        protected = [protected]
    items = protected.items() if isinstance(protected, Mapping) else ((t, None) for t in protected)
    out: dict[str, str | None] = {}
    for term, fixed in items:
        if not isinstance(term, str) or not term:
            raise ValueError(f"保护词必须是非空字符串：{term!r}")
        if fixed is not None and not isinstance(fixed, str):
            raise ValueError(f"保护词“{term}”的繁体写法必须是字符串：{fixed!r}")
        out[term] = fixed
    return out


class MissingLabel(KeyError):
    """A built-in label without a reviewed traditional form: a gxgen defect, reported (exit
    2) rather than papered over by OpenCC."""

    def __init__(self, label: str) -> None:
        super().__init__(label)
        self.label = label

    def message(self, lang: str = "zh") -> str:
        from gxgen.messages import render

        return render("label_missing", lang, {"label": self.label})

    def __str__(self) -> str:
        return self.message()


class Converter:
    """Puts one report's text into one variant: labels by lookup, narrative by OpenCC."""

    def __init__(
        self,
        variant: Variant,
        protected: Mapping[str, str | None] | Iterable[str] = (),
        unreviewed: Iterable[str] = (),
    ) -> None:
        self.variant = variant
        self.lang = variant.lang
        self.unreviewed = frozenset(unreviewed)
        """Labels from a user's own extension definition file (``Edition.own_labels``): not
        in traditional.yaml, so — only these — they go through OpenCC."""
        terms: dict[str, str | None] = dict(BUILTIN_PROTECTED)
        terms.update(_terms(protected))
        self.terms: dict[str, str] = {k: k if v is None else v for k, v in terms.items()}
        """Every protected term (built-in and the user's) → its fixed output form."""
        ordered = sorted(self.terms, key=lambda t: (-len(t), t))
        self._pattern = re.compile("|".join(map(re.escape, ordered)))

    @classmethod
    def for_edition(cls, variant: Variant, edition: editions.Edition,
                    protected: Mapping[str, str | None] | Iterable[str] = ()) -> Converter:
        """The converter for a report on ``edition``: the one rule, used by rendering and by
        the tests alike — built-in labels looked up, a user's own labels through OpenCC."""
        return cls(variant, protected, unreviewed=edition.own_labels)

    def label(self, text: str) -> str:
        """The reviewed form of a fixed statutory label or phrase (``MissingLabel`` when it
        has none and is not one of the user's own).

        A list number the builder puts in front of a label (``一、``, ``（一）``, ``1.``) is the
        same in both scripts, so ``一、总体情况`` is found as ``一、`` + ``总体情况``.
        """
        if not self.variant.traditional or not text:
            return text
        table = editions.traditional() or {}
        if text in table:
            return table[text]
        numbered = _LIST_NUMBER.fullmatch(text)
        if numbered and numbered.group(2) in table:
            return numbered.group(1) + table[numbered.group(2)]
        if text in self.unreviewed or numbered and numbered.group(2) in self.unreviewed:
            return self.narrative(text)
        raise MissingLabel(text)

    def narrative(self, text: str) -> str:
        """The author's free text through OpenCC; protected terms come out in their fixed form.

        Terms are matched leftmost-longest and cut out before conversion, so OpenCC never sees
        (or splits) them.
        """
        if not self.variant.traditional or not text:
            return text
        cc = opencc_converter(self.variant.opencc_config)

        def convert(segment: str) -> str:
            # OpenCC drops everything from a NUL on (C strings between chain steps).
            return "\x00".join(cc.convert(piece) for piece in segment.split("\x00"))

        parts: list[str] = []
        pos = 0
        for match in self._pattern.finditer(text):
            if match.start() > pos:
                parts.append(convert(text[pos:match.start()]))
            parts.append(self.terms[match.group()])
            pos = match.end()
        if pos < len(text):
            parts.append(convert(text[pos:]))
        return "".join(parts)
