"""Render every model card again from its template and the shipped facts (no checkpoint, no data needed).

    /usr/bin/python3 training/render_cards.py            # rewrite models/*/CARD.md after a template change
    /usr/bin/python3 training/render_cards.py --check    # exit 1 if a shipped card differs from its render

A card is `training/cards/<template>.md` filled from `models/<id>/model.json` (metrics, family fields),
`models/<id>/card.json` (what the export recorded: training run, data set, other measurements) and the ONNX
files' hash (lstudio.card). The exports call the same renderer, so a card is always reproducible from what ships.
"""
from __future__ import annotations

import argparse
import difflib
import sys
from pathlib import Path

from lstudio.card import render_card
from lstudio.loop import ROOT


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("models", nargs="*", type=Path, help="model folders (default: every models/* with a card.json)")
    p.add_argument("--check", action="store_true", help="compare with the shipped CARD.md, write nothing")
    a = p.parse_args()
    dirs = a.models or sorted(d.parent for d in (ROOT / "models").glob("*/card.json"))
    differ = 0
    for d in dirs:
        new, path = render_card(d), d / "CARD.md"
        old = path.read_text() if path.exists() else ""
        if new == old:
            print(f"{d.name}: unchanged")
        elif a.check:
            differ += 1
            print(f"{d.name}: differs")
            sys.stdout.writelines(difflib.unified_diff(old.splitlines(True), new.splitlines(True), "shipped", "rendered", n=0))
        else:
            path.write_text(new)
            print(f"{d.name}: written")
    sys.exit(1 if differ else 0)


if __name__ == "__main__":
    main()
