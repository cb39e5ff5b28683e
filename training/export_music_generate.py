"""Add the `generate` graph to an exported music model, from its own step.onnx (no checkpoint needed).

    /usr/bin/python3 training/export_music_generate.py models/music-lstm-game

Writes generate.onnx and golden_generate.json (lstudio/music_generate_graph.py; fails unless ONNX Runtime draws
exactly the tokens of the step graph's PyTorch twin with the engine's draw), lists both graphs in model.json
(read back from the files, as every export does) and puts the graph's section, golden sentence and file list into
CARD.md. export_music.py does the same for a fresh export; this script is for a model exported before.
"""
from __future__ import annotations

import argparse
from pathlib import Path

from lstudio.card import write_card
from lstudio.manifest import read_manifest, write_manifest
from lstudio.music_events import START
from lstudio.music_generate_graph import CARD_SECTION, GOLDEN_SENTENCE, card_text, export_generate_graph, files_text

GRAPHS = {"step": "step.onnx", "generate": "generate.onnx"}


def read_card(path: Path) -> tuple[str, dict[str, str]]:
    """A card write_card wrote: its title and sections in order."""
    head, *parts = path.read_text().split("\n## ")
    sections = {}
    for p in parts:
        name, _, text = p.partition("\n")
        sections[name.strip()] = text.strip()
    return head.removeprefix("# ").strip(), sections


def with_section(sections: dict[str, str], name: str, text: str, after: str) -> dict[str, str]:
    """`sections` with `name` set to `text`: in place when present, else right after `after`."""
    if name in sections:
        return {k: (text if k == name else v) for k, v in sections.items()}
    out = {}
    for k, v in sections.items():
        out[k] = v
        if k == after:
            out[name] = text
    return out


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("model_dir", type=Path)
    a = p.parse_args()
    out = a.model_dir
    diff, n = export_generate_graph(out, START)
    manifest = read_manifest(out)
    write_manifest(out, manifest, graphs=GRAPHS)
    temperature = next(q["default"] for q in manifest["params"] if q["key"] == "temperature")
    title, sections = read_card(out / "CARD.md")
    sections = with_section(sections, CARD_SECTION, card_text(diff, n), after="Weights")
    golden = sections["Golden pairs"]
    sections["Golden pairs"] = golden if GOLDEN_SENTENCE in golden else f"{golden} {GOLDEN_SENTENCE}"
    sections["Files"] = files_text(out, temperature)
    write_card(out / "CARD.md", title, sections)
    print(f"wrote {out / 'generate.onnx'}: {n} tokens drawn as the reference, final state within {diff:.3g}")


if __name__ == "__main__":
    main()
