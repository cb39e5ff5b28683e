"""Model cards: `models/<id>/CARD.md` rendered from a template of prose (`training/cards/<name>.md`) and
facts the scripts measured, never typed by hand. The facts are the manifest (`model.json`: metrics,
params, family fields), the export's record (`card.json`: the training run, the data set, export-time
measurements that are not metrics), the files' sha256, and values derived from those (lstudio.card_facts).
So a card can be rendered again at any time from what is shipped: `training/render_cards.py --check`.

Template language (small on purpose; see training/cards/README.md):
- `{field}` / `{field:spec}`: Python format fields over the facts (`{metrics[fid_classifier]:.4g}`,
  `{training[step]:,}`); `{{` and `}}` are literal braces.
- `{if field}…{else}…{end}` (nestable; `{if not field}`): kept when the fact is truthy; a missing fact is false.
- Lines are unwrapped: the lines of a paragraph join with one space (markdown renders a soft break as a
  space, so the card reads the same), except lines that start a table row, heading, quote, list item or
  image. A blank line is a paragraph break. Lines starting with `%%` are comments.
- `{notes[key]}`: a paragraph of `training/cards/<name>.notes.md` (what earlier runs measured).
- After a line `%% meanings`, `key: text` lines (continued by indented lines) say what each metric means;
  `{metrics_table}` renders the manifest's metrics in their order with them.
"""
from __future__ import annotations

import json
import platform
import re
import string
from pathlib import Path

CARDS = Path(__file__).resolve().parents[1] / "cards"
_CONTROL = re.compile(r"\{(if (?:not )?[^{}]+|else|end)\}")
_OWN_LINE = ("|", "#", ">", "- ", "* ", "![")
_FORMATTER = string.Formatter()


def hardware(ck: dict | None = None) -> str:
    """The training machine as the checkpoint recorded it (threads), else this machine's CPU."""
    import torch
    if ck and ck.get("device", "").startswith("cuda"):
        return f"GPU {ck.get('device_name', ck['device'])}"
    cpu = "CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    threads = f"{ck['threads']} thread(s) in the latest training segment" if ck and "threads" in ck else "CPU threads not recorded"
    return f"{cpu} ({platform.machine()}), {threads}, PyTorch {torch.__version__}"


def run_facts() -> dict:
    """What to store in a checkpoint so the card can say where it was trained."""
    import torch
    facts = {"threads": torch.get_num_threads(), "device": "cpu"}
    if torch.cuda.is_available():
        facts.update(device="cuda", device_name=torch.cuda.get_device_name(0))
    return facts


def training_record(ck: dict, counter: str = "step") -> dict:
    """The card's facts about a training run, from its checkpoint: progress, minutes, hardware, arguments
    (paths as strings) and the warm start it came from, if any."""
    args = {k: str(v) if isinstance(v, Path) else v for k, v in ck["args"].items()}
    rec = {"step": ck[counter], "minutes": round(ck["elapsed"] / 60, 2), "hardware": hardware(ck), "args": args}
    if ck.get("init_from"):
        rec["init_from"] = ck["init_from"]
    return rec


def metrics_table(metrics: dict[str, float | str], notes: dict[str, str]) -> str:
    rows = ["| metric | value | meaning |", "| --- | --- | --- |"]
    for k, v in metrics.items():
        val = f"{v:.4g}" if isinstance(v, float) else str(v)
        rows.append(f"| `{k}` | {val} | {notes.get(k, '')} |")
    return "\n".join(rows)


def write_card(path: Path, title: str, sections: dict[str, str]) -> None:
    """A card from ready sections (kept for scripts that have no template yet; prefer write_model_card)."""
    body = [f"# {title}", ""]
    for head, text in sections.items():
        body += [f"## {head}", "", text.strip(), ""]
    path.write_text("\n".join(body))


def _lookup(field: str, facts: dict):
    try:
        return _FORMATTER.get_field(field.strip(), (), facts)[0]
    except (KeyError, IndexError, AttributeError, TypeError):
        return None


def _conditionals(text: str, facts: dict) -> str:
    out, stack, emitting, pos = [], [], True, 0
    for m in _CONTROL.finditer(text):
        if emitting:
            out.append(text[pos:m.start()])
        pos, token = m.end(), m.group(1)
        if token.startswith("if "):
            expr = token[3:].strip()
            negate = expr.startswith("not ")
            value = bool(_lookup(expr[4:] if negate else expr, facts)) != negate
            stack.append((emitting, value))
            emitting = emitting and value
        elif not stack:
            raise ValueError(f"{{{token}}} without {{if}}")
        elif token == "else":
            emitting = stack[-1][0] and not stack[-1][1]
        else:
            emitting = stack.pop()[0]
    if stack:
        raise ValueError("an {if} has no {end}")
    if emitting:
        out.append(text[pos:])
    return "".join(out)


def _unwrap(text: str) -> str:
    paragraphs = []
    for para in re.split(r"\n[ \t]*\n", text.strip("\n")):
        lines: list[str] = []
        for line in para.split("\n"):
            line = line.rstrip()
            if lines and not line.startswith(_OWN_LINE) and not lines[-1].startswith(("|", "#")):
                lines[-1] += " " + line.lstrip()
            else:
                lines.append(line)
        paragraphs.append("\n".join(lines))
    return "\n\n".join(paragraphs)


def render(text: str, facts: dict) -> str:
    """One piece of template text → markdown (see the module docstring)."""
    text = "\n".join(line for line in text.split("\n") if not line.startswith("%%"))
    return _FORMATTER.vformat(_conditionals(_unwrap(text), facts), (), facts)


def load_template(name: str) -> tuple[str, dict[str, str]]:
    """training/cards/<name>.md → (body, {metric key: meaning template})."""
    text = (CARDS / f"{name}.md").read_text()
    body, _, tail = text.partition("\n%% meanings\n")
    meanings: dict[str, str] = {}
    key = None
    for line in tail.split("\n"):
        if line.startswith((" ", "\t")) and key:
            meanings[key] += " " + line.strip()
        elif ":" in line and not line.startswith("%%"):
            key, _, rest = line.partition(":")
            key = key.strip()
            meanings[key] = rest.strip()
    return body, meanings


def load_notes(name: str) -> dict[str, str]:
    """training/cards/<name>.notes.md → {key: text}: what earlier runs measured, for the card's "why"
    (those runs' checkpoints are gone; these paragraphs are their record). A block starts at `%% note <key>`."""
    path = CARDS / f"{name}.notes.md"
    notes: dict[str, list[str]] = {}
    key = None
    for line in path.read_text().split("\n") if path.exists() else []:
        if line.startswith("%% note "):
            key = line[len("%% note "):].strip()
            notes[key] = []
        elif key and not line.startswith("%%"):
            notes[key].append(line)
    return {k: "\n".join(v).strip("\n") for k, v in notes.items()}


def card_facts(model_dir: Path) -> dict:
    """Everything a template may use: model.json, card.json (its keys must not shadow the manifest's),
    sha256 (the files' hash prefix, graphs in manifest order, as the engine's ModelSummary.hash) and the
    family's derived values (lstudio.card_facts)."""
    from lstudio.card_facts import derive
    from lstudio.export import files_hash
    manifest = json.loads((model_dir / "model.json").read_text())
    record = json.loads((model_dir / "card.json").read_text())
    clash = set(record) & set(manifest)
    if clash:
        raise ValueError(f"card.json keys shadow model.json: {sorted(clash)}")
    facts = {**manifest, **record, "model_dir": model_dir,
             "sha256": files_hash([model_dir / g["file"] for g in manifest["graphs"].values()])}
    facts.update(derive(facts))
    metric = model_dir / "metric.json"  # the calibrated image metric (eval_image_metric.py), where measured
    if metric.exists():
        from lstudio.calibration import calibrated_facts
        facts["calibrated"] = calibrated_facts(json.loads(metric.read_text()), manifest["id"])
    return facts


def render_card(model_dir: Path) -> str:
    """CARD.md's text for a model folder, from its template and facts."""
    facts = card_facts(model_dir)
    body, meanings = load_template(facts["template"])
    facts["notes"] = {k: render(v, facts) for k, v in load_notes(facts["template"]).items()}
    notes = {k: render(v, facts) for k, v in meanings.items()}
    facts["metrics_table"] = metrics_table(facts["metrics"], notes)
    return render(body, facts).rstrip("\n") + "\n"


def write_model_card(model_dir: Path, record: dict) -> str:
    """Write the export's record (model_dir/card.json) and the card rendered from it (CARD.md)."""
    (model_dir / "card.json").write_text(json.dumps(record, indent=2, ensure_ascii=False) + "\n")
    text = render_card(model_dir)
    (model_dir / "CARD.md").write_text(text)
    return text
