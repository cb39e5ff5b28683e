"""Model cards are rendered, not written: every shipped CARD.md is exactly what its template and the shipped
facts (model.json, card.json, the ONNX files' hash) render to, so every figure in it comes from a record; and
the small template language does what training/cards/README.md says."""
import pytest

from lstudio.card import load_template, render, render_card
from tests.helpers import MODELS

MODEL_IDS = sorted(p.parent.name for p in MODELS.glob("*/model.json"))


@pytest.mark.parametrize("model_id", MODEL_IDS)
def test_shipped_card_is_its_rendered_template(model_id):
    assert (MODELS / model_id / "card.json").exists(), "the export writes card.json beside CARD.md"
    assert render_card(MODELS / model_id) == (MODELS / model_id / "CARD.md").read_text()


def test_conditionals_nest_and_missing_facts_are_false():
    t = "a{if x} b{if not y} c{else} d{end}{end}{if z[q]} e{end}."
    assert render(t, {"x": 1, "y": 0}) == "a b c."
    assert render(t, {"x": 1, "y": 1}) == "a b d."
    assert render(t, {"x": 0, "y": 0, "z": {"q": 2}}) == "a e."


def test_lines_unwrap_into_paragraphs_but_tables_and_headings_stay():
    t = "%% a comment\n## Head\n\nOne {n:,}\nline, {r:.0%}.\n\n| a | b |\n| --- | --- |\n{rows}\n- item\n  more"
    assert render(t, {"n": 1234, "r": 0.5, "rows": "| 1 | 2 |"}) == \
        "## Head\n\nOne 1,234 line, 50%.\n\n| a | b |\n| --- | --- |\n| 1 | 2 |\n- item more"


def test_a_misspelt_fact_fails_loudly():
    with pytest.raises(KeyError):
        render("{metrics[no_such_metric]}", {"metrics": {}})

