"""Model cards: one markdown file per model, written from facts the scripts measured (never by hand)."""
from __future__ import annotations

import platform
from pathlib import Path


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


def write_card(path: Path, title: str, sections: dict[str, str]) -> None:
    body = [f"# {title}", ""]
    for head, text in sections.items():
        body += [f"## {head}", "", text.strip(), ""]
    path.write_text("\n".join(body))


def metrics_table(metrics: dict[str, float | str], notes: dict[str, str]) -> str:
    rows = ["| metric | value | meaning |", "| --- | --- | --- |"]
    for k, v in metrics.items():
        val = f"{v:.4g}" if isinstance(v, float) else str(v)
        rows.append(f"| `{k}` | {val} | {notes.get(k, '')} |")
    return "\n".join(rows)
