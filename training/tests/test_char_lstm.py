"""The character LSTMs: data readers and the shipped models' greedy rollouts
replayed in PyTorch from the exported weights (so the ONNX graph, the golden file and training agree)."""
import pytest

from lstudio.char_lstm_graph import QuantStep
from lstudio.text_data import AUSTEN_DB, austen_chapters, mobydick_chapters, paragraphs, split_chapters
from lstudio.text_sampling import greedy
from tests.helpers import MODELS, golden, manifest

TEXT_MODELS = sorted(p.parent.name for p in MODELS.glob("*/model.json") if manifest(p.parent.name)["family"] == "char-lstm")


def test_paragraphs_join_wrapped_lines():
    assert paragraphs(["It is a truth", "universally  acknowledged,", "", "", "that a single"]) == \
        "It is a truth universally acknowledged,\n\nthat a single"


@pytest.mark.skipif(not AUSTEN_DB.with_suffix(".rdb").exists(), reason="apt-get install r-cran-janeaustenr")
def test_austen_reads_six_novels_held_out_by_chapter():
    chapters = austen_chapters()
    train, held = split_chapters(chapters)
    assert len(chapters) > 250  # six novels, chapter by chapter
    assert "It is a truth universally acknowledged" in train + held
    assert 0.07 < len(held) / (len(train) + len(held)) < 0.15
    assert held[:2000] not in train  # held-out chapters never appear in training text


def test_mobydick_reads_all_chapters():
    chapters = mobydick_chapters()
    assert len(chapters) == 138 and chapters[2].startswith("CHAPTER 1. Loomings.")
    assert "Call me Ishmael." in chapters[2]


@pytest.mark.parametrize("model_id", TEXT_MODELS)
def test_greedy_rollout_replays_in_pytorch(model_id):
    m, gold = manifest(model_id), golden(model_id)
    net = QuantStep(MODELS / model_id / m["graphs"]["step"]["file"])  # the 8-bit graph's arithmetic in PyTorch
    g = gold["greedy"]
    assert greedy(net, m["vocab"], g["prime"], g["length"]) == g["text"]


@pytest.mark.parametrize("model_id", TEXT_MODELS)
def test_model_writes_words_not_noise(model_id):
    """Sampled text reads as English: most space-separated tokens are real words of the corpus."""
    m = manifest(model_id)
    assert m["metrics"]["held_out_nats_per_char"] < 2.0
    samples = (MODELS / model_id / "samples.md").read_text()
    def tokens(text: str) -> list[str]:
        return [w for w in (t.strip('.,;:!?"\'()_*[]—-').lower() for t in text.split()) if w.isalpha()]
    words = tokens(samples)
    corpus = set(tokens(" ".join((austen_chapters if "austen" in model_id else mobydick_chapters)())))
    known = sum(w in corpus for w in words) / len(words)
    assert known > 0.6, known
