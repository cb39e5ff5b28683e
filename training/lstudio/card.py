"""Model cards: one markdown file per model, written from facts the scripts measured (never by hand)."""
from __future__ import annotations

import platform
from pathlib import Path


def hardware() -> str:
    import torch
    if torch.cuda.is_available():
        return f"GPU {torch.cuda.get_device_name(0)}"
    cpu = "CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{torch.get_num_threads()} threads of {cpu} ({platform.machine()}), PyTorch {torch.__version__}"


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
