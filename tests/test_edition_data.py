"""Edition knowledge is data (issue 10, item 2): the code reads it, it does not restate it.

The built-in edition files match ``editions/edition.schema.json`` (a broken copy is refused
with the file and the field); editions are discovered from their files; value types,
deadlines, the ``total``/``na`` keys, the section carrying the topics and the protected
statute titles are declared once in ``common.yaml`` and the edition files, and the modules
that use them follow the data when it changes.
"""

from __future__ import annotations

import ast
import copy
import json
import shutil
from dataclasses import replace
from decimal import Decimal
from importlib import resources
from pathlib import Path

import pytest
import yaml
from conftest import dump, facts_2021
from test_rules import check, only

from gxgen import editions, loader, schema, variants
from gxgen.check import check_loaded
from gxgen.editions import Deadline
from gxgen.findings import Finding
from gxgen.scaffold import scaffold

PACKAGE = Path(editions.__file__).parent.parent
EDITIONS = Path(editions.__file__).parent


def _data(edition_id: str) -> dict:
    return yaml.safe_load((EDITIONS / f"{edition_id}.yaml").read_text("utf-8"))


# --- the edition files' schema -----------------------------------------------------------------


@pytest.mark.parametrize("edition_id", editions.available())
def test_every_built_in_edition_matches_its_schema(edition_id: str) -> None:
    editions.check_edition(f"{edition_id}.yaml", _data(edition_id))


@pytest.mark.parametrize(("damage", "where"), [
    (lambda d: d.pop("notice"), "(top)"),
    (lambda d: d.update(first_year="2021年"), "first_year"),
    (lambda d: d["sections"][0].update(topic=True), "sections/0"),
    (lambda d: d["tables"]["applications"].update(kind="grid"), "tables/applications/kind"),
])
def test_a_broken_copy_is_refused_naming_the_file_and_field(damage, where: str) -> None:
    data = copy.deepcopy(_data("2021"))
    damage(data)
    with pytest.raises(ValueError, match=r"^2021\.yaml: ") as caught:
        editions.check_edition("2021.yaml", data)
    assert str(caught.value).startswith(f"2021.yaml: {where}: ")
    assert "\n" not in str(caught.value)


def test_common_data_matches_its_schema() -> None:
    editions.check_edition("common.yaml", editions.common(), "#/$defs/common")
    broken = copy.deepcopy(editions.common())
    del broken["value_types"]["yuan"]["expected"]
    broken["deadlines"]["government"]["month"] = 13
    with pytest.raises(ValueError, match=r"^common\.yaml: (value_types/yuan|deadlines/government"
                                         r"/month): "):
        editions.check_edition("common.yaml", broken, "#/$defs/common")


def test_extension_tables_take_every_value_type_and_no_other() -> None:
    ext = json.loads((EDITIONS / "extension.schema.json").read_text("utf-8"))
    assert ext["$defs"]["value"]["enum"] == list(editions.VALUE_TYPES)


# --- edition ids come from the files ---------------------------------------------------------


def test_editions_are_the_files_with_an_id_newest_first() -> None:
    assert editions.available() == ["2021", "2019"]
    assert set(editions.edition_files()) == {"2021", "2019"}


def test_a_new_edition_file_is_discovered(tmp_path: Path, monkeypatch) -> None:
    folder = tmp_path / "editions"
    shutil.copytree(EDITIONS, folder, ignore=shutil.ignore_patterns("__pycache__", "*.py"))
    text = (folder / "2021.yaml").read_text("utf-8")
    text = text.replace('id: "2021"', 'id: "2031"').replace("first_year: 2021",
                                                            "first_year: 2031")
    (folder / "2031.yaml").write_text(text, "utf-8")

    class Files:
        @staticmethod
        def files(_package: str) -> Path:
            return folder

    monkeypatch.setattr(editions, "resources", Files)
    editions._edition_data.cache_clear()
    editions._yaml_names.cache_clear()
    try:
        assert editions.available() == ["2031", "2021", "2019"]
        assert editions.for_year(2032) is not None
        assert editions.for_year(2032).id == "2031"
    finally:
        monkeypatch.setattr(editions, "resources", resources)
        editions._edition_data.cache_clear()
        editions._yaml_names.cache_clear()
        editions.load.cache_clear()
    assert editions.available() == ["2021", "2019"]


# --- the data is what the code follows ---------------------------------------------------------


def test_value_types_are_one_registry() -> None:
    types = editions.common()["value_types"]
    assert list(schema.VALUE_SCHEMAS) == list(types)
    assert schema.MAX_COUNT == types["count"]["schema"]["maximum"]
    assert editions.VALUE_TYPES["wan_yuan"].places == 4
    assert editions.VALUE_TYPES["yuan"].unit == "元"


def _too_precise(data: dict) -> list[Finding]:
    found = check_loaded(loader.loads(dump(data), "f.yaml")).findings
    return [f for f in found if f.code == "too_precise"]


def test_too_precise_follows_the_registry(monkeypatch) -> None:
    data = facts_2021()
    data["proactive"]["fees"] = Decimal("1.25")
    assert _too_precise(data) == []
    monkeypatch.setitem(editions.VALUE_TYPES, "wan_yuan",
                        replace(editions.VALUE_TYPES["wan_yuan"], places=1))
    (too,) = _too_precise(data)
    assert too.params["places"] == 1 and too.params["unit"] == "万元"


def test_deadlines_are_read_from_the_data(monkeypatch) -> None:
    monkeypatch.setitem(editions.DEADLINES, "government", Deadline(4, 30, "某规定"))
    found = check(facts_2021(agency_type="government", date="2023-04-30"))[0]
    assert not [f for f in found if f.rule == "D-LATE"]
    late = only(check(facts_2021(agency_type="government", date="2023-05-01"))[0], "D-LATE")
    assert "2023-04-30" in late.message("zh") and "某规定" in late.message("zh")
    ed = editions.load("2021")
    assert "# date: 2023-04-20" in scaffold(ed, "某局", 2022, agency_type="government")
    assert "# date: 2023-01-20" in scaffold(ed, "某局", 2022, agency_type="township")


def test_the_topics_section_is_marked_in_the_edition() -> None:
    ed = editions.load("2021")
    assert [s.key for s in ed.sections if s.topics] == ["overview"]
    topic = editions.common()["content"]["overview_topics"][0]["label"]
    assert f'- heading: "{topic}"' in scaffold(ed, "某局", 2022)
    plain = replace(ed, sections=tuple(replace(s, topics=False) for s in ed.sections))
    assert f'- heading: "{topic}"' not in scaffold(plain, "某局", 2022)


def test_not_applicable_is_printed_as_the_data_says(monkeypatch) -> None:
    from gxgen import model
    from gxgen.kinds import base

    assert model.format_value(editions.NA) == "/"
    monkeypatch.setattr(base, "NA_PRINTED", "—")
    assert model.format_value(editions.NA) == "—"


def test_statute_titles_are_data() -> None:
    assert variants.BUILTIN_PROTECTED is editions.common()["builtin_protected"]
    assert variants.BUILTIN_PROTECTED["《条例》"] == "《條例》"


_GUARDED = ("rules.py", "figures.py", "rollup.py", "variants.py")
"""Modules that name no edition knowledge at all (the table-kind code has its own guard)."""
_KNOWLEDGE = {"overview", "total", "na", "wan_yuan", "yuan", "signed", "amount", "2019",
              "2021"}


@pytest.mark.parametrize("module", _GUARDED)
def test_no_edition_knowledge_is_spelt_in_code(module: str) -> None:
    tree = ast.parse((PACKAGE / module).read_text("utf-8"))
    spelt = {node.value for node in ast.walk(tree)
             if isinstance(node, ast.Constant) and node.value in _KNOWLEDGE}
    assert spelt == set()
