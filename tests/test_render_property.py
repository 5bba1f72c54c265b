"""Property: any valid facts file renders in every format and variant, and every figure of
the facts sits in its own cell — in the model, in the DOCX, in the HTML and in the Markdown."""

from __future__ import annotations

from decimal import Decimal
from html.parser import HTMLParser

from conftest import COLUMNS, facts_2021
from extract import docx_tables, html_tables, md_pipe_tables, model_rows
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gxgen import editions
from gxgen import render as rendering
from gxgen.check import check_loaded
from gxgen.loader import loads
from gxgen.model import format_value
from gxgen.variants import VARIANTS

EDITION = editions.load("2021")
APPLICATIONS = EDITION.tables["applications"]
RESULT_ROWS = sorted({c.row for c in APPLICATIONS.cells
                      if c.row[0] not in ("new", "carried_in", "carried_out", "total")})
count = st.integers(min_value=0, max_value=400)
row = st.lists(count, min_size=6, max_size=6)
text = st.text(alphabet=st.sampled_from(list("政府信息公开发布复议后来只读了<>&\"'*|#_`[]\\ 1.")),
               min_size=1, max_size=40).filter(lambda t: t.strip())


@st.composite
def facts(draw: st.DrawFn) -> dict:
    results = {r: draw(row) for r in RESULT_ROWS}
    carried_out = draw(row)
    done = [sum(results[r][i] for r in RESULT_ROWS) + carried_out[i] for i in range(6)]
    carried_in = [draw(st.integers(0, d)) for d in done]
    applications: dict = {"carried_in": carried_in, "carried_out": carried_out,
                          "new": [d - c for d, c in zip(done, carried_in, strict=True)]}
    for key, values in results.items():
        target = applications
        for part in key[:-1]:
            target = target.setdefault(part, {})
        target[key[-1]] = values if draw(st.booleans()) else dict(zip(COLUMNS, values,
                                                                      strict=True))
    outcomes = ("upheld", "corrected", "other", "pending")
    reviews = {group: {o: draw(count) for o in outcomes}
               for group in ("review", "litigation", "litigation_after_review")}
    amount = Decimal(draw(st.integers(0, 10**8))).scaleb(-4)
    proactive = {
        "regulations": draw(st.sampled_from(["na", {"issued": 1, "repealed": 0, "in_force": 4}])),
        "normative_documents": {"issued": draw(count), "repealed": draw(count),
                                "in_force": draw(count)},
        "licensing": draw(count), "penalty": draw(count), "coercion": draw(count),
        "fees": amount,
    }
    return facts_2021(applications=applications, reviews=reviews, proactive=proactive,
                      problems=draw(text) + "需要改进。", agency="某区" + draw(text))


def page_text(page: bytes) -> list[str]:
    """The text a browser shows, entity references decoded."""
    parser = HTMLParser(convert_charrefs=True)
    out: list[str] = []
    parser.handle_data = out.append  # type: ignore[method-assign]
    parser.feed(page.decode("utf-8"))
    return out


def _yaml(data: dict) -> str:
    import yaml

    def decimal(dumper: yaml.SafeDumper, value: Decimal) -> yaml.Node:
        return dumper.represent_scalar("tag:yaml.org,2002:float", format(value, "f"))

    yaml.SafeDumper.add_representer(Decimal, decimal)
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(facts(), st.sampled_from(["simplified", "traditional", "zh-TW", "zh-HK"]))
def test_every_figure_in_its_cell(data: dict, variant: str) -> None:
    checked = check_loaded(loads(_yaml(data), "random.yaml"))
    assert checked.facts is not None, [f.format() for f in checked.findings]
    assert not [f for f in checked.findings if f.severity == "error"]
    facts = checked.facts
    doc = rendering.document(facts, VARIANTS[variant])
    cells = [c for t in doc.tables() for c in t.values()]
    assert sorted(c.path for c in cells) == sorted(
        p for p in EDITION.cells if not p.startswith("other_matters."))
    for cell in cells:
        assert cell.text == format_value(facts.value(cell.path))
    options = rendering.Options()
    expected = [model_rows(t) for t in doc.tables()]
    assert docx_tables(rendering.writer("docx")(doc, options)) == expected
    page = rendering.writer("html")(doc, options)
    assert html_tables(page) == expected
    assert doc.title_text in "".join(page_text(page))
    md = rendering.writer("md")(doc, options).decode("utf-8")
    pipe = md_pipe_tables(md)
    md_values = [c for t in pipe for r in t[1:] for c in r]
    for cell in cells:
        assert cell.text in md_values
    body = [r for t in pipe for r in t[1:] if any(c.strip() for c in r)]
    assert len(body) >= len(APPLICATIONS.cells) // 7
