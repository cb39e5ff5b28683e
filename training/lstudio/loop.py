"""The pieces every train_*.py shares (nanoGPT's shape): run arguments, resume, periodic atomic
checkpoints, a time budget, JSON-lines logging, EMA weights, a cosine schedule, warm starts, and a
`--dry-run` that exercises all of it on fake data without touching a real run folder.

A script reads like this:

    p = argparse.ArgumentParser(...); add_run_args(p, out="training/runs/x", minutes=60); ...hyperparameters
    a = p.parse_args()
    run = Run(a, max_steps=a.max_steps)          # seeds, device, out folder, reads <out>/ckpt.pt if there
    net = Net().to(run.device); opt = ...
    run.restore(net=net, opt=opt)                # registers what a checkpoint holds, loads it when resuming
    while run.running():                         # step budget and time budget
        ...; run.step += 1
        if run.every(50): run.log(step=run.step, loss=loss.item())
        if run.due(300): run.checkpoint()        # every 5 min of training time (atomic)
    run.checkpoint(); run.finish()
"""
from __future__ import annotations

import argparse
import atexit
import copy
import json
import math
import os
import random
import shutil
import tempfile
import time
from pathlib import Path

import numpy as np
import torch

ROOT = Path(__file__).resolve().parents[2]


def add_run_args(p: argparse.ArgumentParser, *, out: str | None, minutes: float,
                 minutes_help: str = "wall-clock budget for this invocation (a resumed run gets a fresh budget)",
                 seed: int = 0) -> argparse.ArgumentParser:
    """--out (default ROOT/out; required when out is None), --minutes, --seed, --device, --dry-run."""
    if out is None:
        p.add_argument("--out", type=Path, required=True, help="run folder: ckpt.pt, log.jsonl, samples")
    else:
        p.add_argument("--out", type=Path, default=ROOT / out, help="run folder: ckpt.pt, log.jsonl, samples")
    p.add_argument("--minutes", type=float, default=minutes, help=minutes_help)
    p.add_argument("--seed", type=int, default=seed, help="data order, init and noise")
    p.add_argument("--device", default="auto", help="auto: CUDA when there is one, else CPU")
    p.add_argument("--dry-run", action="store_true",
                   help="a few steps on random data in a temporary folder (CI): no dataset, no real run touched")
    return p


def save_checkpoint(path: Path, state: dict) -> None:
    """Atomic save so a killed run never leaves a half-written checkpoint."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    torch.save(state, tmp)
    os.replace(tmp, path)


def load_checkpoint(path: Path) -> dict | None:
    return torch.load(path, map_location="cpu") if path.exists() else None


class Log:
    """Appends JSON lines to out/log.jsonl and echoes a short line; `elapsed` counts across resumes."""

    def __init__(self, out: Path, elapsed0: float = 0.0):
        self.file = open(out / "log.jsonl", "a")
        self.t0 = time.time() - elapsed0

    @property
    def elapsed(self) -> float:
        return time.time() - self.t0

    def __call__(self, **row) -> None:
        row = {"t": round(self.elapsed, 1), **row}
        self.file.write(json.dumps(row) + "\n")
        self.file.flush()
        print(" ".join(f"{k}={v:.4g}" if isinstance(v, float) else f"{k}={v}" for k, v in row.items()),
              flush=True)


class Ema:
    """Exponential moving average of a module's weights (Karras et al.): smoother samples from a GAN."""

    def __init__(self, model: torch.nn.Module, decay: float):
        self.decay = decay
        self.model = copy.deepcopy(model).eval()
        for p in self.model.parameters():
            p.requires_grad_(False)

    @torch.no_grad()
    def update(self, model: torch.nn.Module, step: int) -> None:
        # warm-up: early on the average would be dominated by the random init
        d = min(self.decay, (1 + step) / (10 + step))
        for e, p in zip(self.model.parameters(), model.parameters()):
            e.mul_(d).add_(p.detach(), alpha=1 - d)
        for e, b in zip(self.model.buffers(), model.buffers()):
            e.copy_(b)


def cosine(frac: float, floor: float = 0.05) -> float:
    """Learning-rate multiplier: 1 at frac 0, down a half cosine to `floor` at frac ≥ 1."""
    return floor + (1 - floor) * 0.5 * (1 + math.cos(math.pi * min(1.0, max(0.0, frac))))


def warm_start(path: Path, module: torch.nn.Module, key: str, partial: bool = False) -> dict:
    """Load another run's checkpoint[key] into module (partial: only tensors whose name and shape match,
    the rest stay as initialised) and return that checkpoint, so the caller records where it started."""
    src = torch.load(path, map_location="cpu")
    state = src[key]
    if partial:
        own = module.state_dict()
        state = {k: v for k, v in state.items() if k in own and own[k].shape == v.shape}
        print(f"warm start from {path}: {len(state)}/{len(own)} tensors")
    module.load_state_dict(state, strict=not partial)
    return src


def seed_all(seed: int) -> None:
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)


def pick_device(name: str = "auto") -> torch.device:
    if name == "auto":
        return torch.device("cuda" if torch.cuda.is_available() else "cpu")
    return torch.device(name)


class Run:
    """One training invocation. `counter` names the progress count in the checkpoint ("step", or "epoch"
    for epoch-based scripts); `budget` is "session" (--minutes for this invocation) or "total" (--minutes
    of training in all, across resumes: for schedules that span the whole budget)."""

    def __init__(self, a: argparse.Namespace, *, max_steps: int, dry_steps: int = 2, budget: str = "session",
                 counter: str = "step"):
        seed_all(a.seed)
        self.device = pick_device(getattr(a, "device", "auto"))
        self.dry = bool(a.dry_run)
        # a dry run writes into a fresh temporary folder: never resumes from, or overwrites, a real run
        self.out = Path(tempfile.mkdtemp(prefix="lstudio-dry-run-")) if self.dry else a.out
        if self.dry:
            atexit.register(shutil.rmtree, self.out, True)
        self.out.mkdir(parents=True, exist_ok=True)
        self.args = vars(a) | {"out": str(a.out)}
        self.counter = counter
        self.path = self.out / "ckpt.pt"
        self.resumed = load_checkpoint(self.path)  # the checkpoint this invocation continues, or None
        self.step = self.resumed[counter] if self.resumed else 0
        self.log = Log(self.out, self.resumed["elapsed"] if self.resumed else 0.0)
        self.max_steps = dry_steps if self.dry else max_steps
        self.end = (self.log.elapsed if budget == "session" else 0.0) + a.minutes * 60
        self._tracked: dict[str, object] = {}
        self._last_save = self.log.elapsed
        if self.resumed:
            if "rng" in self.resumed:
                torch.set_rng_state(self.resumed["rng"])
            print(f"resumed at {counter} {self.step}")

    @property
    def elapsed(self) -> float:
        """Seconds of training across resumes."""
        return self.log.elapsed

    def restore(self, optional: bool = False, **objs) -> bool:
        """Register objects with state_dict()/load_state_dict() under their checkpoint keys and, when
        resuming, load them. optional: older checkpoints may lack them (returns whether all loaded)."""
        self._tracked.update(objs)
        if not self.resumed:
            return False
        missing = [k for k in objs if k not in self.resumed]
        if missing and not optional:
            raise KeyError(f"{self.path} has no {', '.join(missing)}")
        for k, obj in objs.items():
            if k in self.resumed:
                obj.load_state_dict(self.resumed[k])
        return not missing

    def running(self) -> bool:
        return self.step < self.max_steps and self.elapsed < self.end

    def every(self, n: int) -> bool:
        """Every n-th step (always in a dry run, so logging and checkpoint code runs in CI)."""
        return self.dry or self.step % n == 0

    def due(self, seconds: float) -> bool:
        """True once `seconds` of training passed since the last checkpoint (always in a dry run)."""
        return self.dry or self.elapsed - self._last_save > seconds

    def checkpoint(self, **extra) -> None:
        """Atomically write <out>/ckpt.pt: the registered states, the counter, elapsed time, where it ran,
        the RNG and the arguments, plus `extra` (anything else resuming or exporting needs)."""
        from lstudio.card import run_facts
        state = {k: obj.state_dict() for k, obj in self._tracked.items()}
        save_checkpoint(self.path, {**state, self.counter: self.step, "elapsed": self.elapsed, **run_facts(),
                                    "rng": torch.get_rng_state(), "args": self.args, **extra})
        self._last_save = self.elapsed

    def finish(self) -> None:
        """Say where it stopped. A dry run also proves its checkpoint resumes: it loads it back."""
        if self.dry and self.path.exists():
            ck = load_checkpoint(self.path)
            for k, obj in self._tracked.items():
                obj.load_state_dict(ck[k])
            print(f"dry run: checkpoint with {len(self._tracked)} states written and read back")
        print(f"stopped at {self.counter} {self.step} after {self.elapsed / 60:.1f} min", flush=True)
