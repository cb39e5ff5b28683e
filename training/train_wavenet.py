"""Train the instrument-note WaveNet (teacher forcing, cross-entropy on mu-law codes).

    OMP_NUM_THREADS=1 /usr/bin/python3 training/train_wavenet.py --out training/runs/wavenet --minutes 65

Resumes from `<out>/ckpt.pt` when it exists (the learning-rate schedule follows the elapsed time across
resumes, over --schedule-minutes); `--dry-run` runs 2 steps on random codes (CI). Logs held-out NLL in
bits/sample to <out>/log.jsonl. Export afterwards with `training/export_wavenet.py`.
"""
from __future__ import annotations

import argparse
import json
import math
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F

from lstudio.card import run_facts
from lstudio.common import Ema, Log, load_checkpoint, pick_device, save_checkpoint, seed_all
from lstudio.wavenet import SILENCE, WaveNet


def parse() -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--out", type=Path, default=Path("training/runs/wavenet"))
    p.add_argument("--minutes", type=float, default=65, help="wall-clock budget for this invocation")
    p.add_argument("--schedule-minutes", type=float, default=65, help="cosine lr decay spans this much training")
    p.add_argument("--batch", type=int, default=8, help="windows per step")
    p.add_argument("--window", type=int, default=2048, help="samples per window (128 ms): 7 receptive fields")
    p.add_argument("--onset-share", type=float, default=0.3,
                   help="share of windows that start at the note onset from silence, as generation does")
    p.add_argument("--residual", type=int, default=32, help="32: one voice still runs >1x real time on 1 core")
    p.add_argument("--skip", type=int, default=128)
    p.add_argument("--dilations", default="1,4,16,64,1,4", help="kernel 4: receptive field 271 > 2 C3 periods")
    p.add_argument("--kernel", type=int, default=4)
    p.add_argument("--input-noise", type=float, default=0.0,
                   help="std of Gaussian noise (in mu-law codes) added to the INPUT codes in training, targets clean: "
                        "generation feeds back its own sampled codes, so the model learns to pull a noisy history "
                        "back to a clean waveform instead of copying the noise period after period")
    p.add_argument("--time-taus", default="",
                   help="time constants (s) of the time-since-onset features, e.g. 0.02,0.08,0.3,1.2 (empty: none); "
                        "the 17-ms receptive field alone cannot tell how far into the note it is, so notes cannot decay")
    p.add_argument("--held-only", action="store_true",
                   help="train and evaluate on the held first second of each note only, not the 0.25-s release: with "
                        "time features the model would otherwise learn to release every note at 1 s")
    p.add_argument("--level-aug", type=float, default=0.0,
                   help="share of windows whose INPUT codes are re-encoded at another level (gain log-uniform in "
                        "[1/2, 2]), targets untouched: the network must take a note's level from instrument, pitch and "
                        "time since onset rather than only from its own past, so in generation it pulls a note whose "
                        "level drifted back to its envelope (a struck note decays)")
    p.add_argument("--level-range", default="0.5,2", help="--level-aug gains: log-uniform between these two")
    p.add_argument("--lr", type=float, default=2e-3)
    p.add_argument("--ema", type=float, default=0.999, help="weight EMA decay: the exported weights")
    p.add_argument("--eval-every", type=int, default=250)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--device", default="auto")
    p.add_argument("--init", type=Path, help="warm start (new run) from another run's ckpt.pt: every weight whose name "
                   "and shape match, the rest as initialised (e.g. the period tap, zero = no effect at first)")
    p.add_argument("--dry-run", action="store_true", help="2 steps on random codes, no rendering needed")
    return p.parse_args()


def load_data(dry: bool) -> tuple[dict, dict, dict]:
    """Train and held-out notes: codes (n, T) uint8 mu-law, instrument (n,), pitch index (n,); plus meta."""
    if dry:
        g = np.random.default_rng(0)
        d = {"codes": g.integers(0, 256, (6, 3000), dtype=np.uint8), "instrument": np.arange(6) % 3,
             "pitch": 48 + np.arange(6) % 4, "velocity": np.array([50, 90] * 3)}
        names, pmin, pmax = ["a", "b", "c"], 48, 51
    else:
        from lstudio import nsynth_data as nd
        d, names, pmin, pmax = nd.load_notes(), [n for n, _ in nd.INSTRUMENTS], nd.PITCH_MIN, nd.PITCH_MAX
    from lstudio.nsynth_data import held_out_mask
    held = held_out_mask(d["velocity"])
    split = lambda m: {"codes": torch.from_numpy(d["codes"][m]), "instrument": torch.from_numpy(d["instrument"][m]).long(),  # noqa: E731
                       "pitch": torch.from_numpy(d["pitch"][m] - pmin).long()}
    meta = {"instruments": names, "pitch_min": pmin, "pitch_max": pmax, "n_train": int((~held).sum()),
            "n_held": int(held.sum()), "note_samples": int(d["codes"].shape[1])}
    return split(~held), split(held), meta


def windows(data: dict, n: int, W: int, onset_share: float, rf: int, g: torch.Generator, end: int | None = None):
    """n random windows. Returns inputs (n, W) (previous codes), targets (n, W), loss mask (n, W),
    instrument (n,), pitch index (n,), start (n,) (the first target's sample index since the onset). Onset
    windows start from silence (input 128, zero-padded layers: the exact condition of generation), so every
    position counts; later windows skip their first rf - 1 positions, whose receptive field would reach into
    the zero padding. end: every window lies before this sample index (the release is never a target)."""
    codes = data["codes"]
    N, T = codes.shape
    T = T if end is None else min(T, end)
    idx = torch.randint(N, (n,), generator=g)
    onset = torch.rand(n, generator=g) < onset_share
    start = torch.where(onset, torch.zeros(n, dtype=torch.long), torch.randint(1, T - W + 1, (n,), generator=g))
    pos = start[:, None] + torch.arange(W)  # (n, W) target positions
    seq = codes[idx].long()  # (n, T)
    tgt = seq.gather(1, pos)
    inp = torch.where(pos > 0, seq.gather(1, (pos - 1).clamp(min=0)), torch.full_like(pos, SILENCE))
    mask = onset[:, None] | (torch.arange(W) >= rf - 1)[None]
    return inp, tgt, mask.float(), data["instrument"][idx], data["pitch"][idx], start


def level_augment(inp: torch.Tensor, share: float, g: torch.Generator, lo: float = 0.5, hi: float = 2.0) -> torch.Tensor:
    """(n, W) input codes → the same, with a `share` of the rows decoded, scaled by a gain log-uniform in
    [lo, hi] and encoded again (the other rows are unchanged: the mu-law round trip is exact on codes)."""
    from lstudio.nsynth_data import mulaw_decode, mulaw_encode
    n = inp.shape[0]
    pick = torch.rand(n, generator=g) < share
    gain = torch.exp(math.log(lo) + torch.rand(n, generator=g) * (math.log(hi) - math.log(lo)))
    x = mulaw_decode(inp.numpy()) * torch.where(pick, gain, torch.ones(n)).numpy()[:, None]
    return torch.from_numpy(mulaw_encode(x))


def held_end() -> int:
    """Sample index where the notes' release starts (the held part is [0, this))."""
    from lstudio.nsynth_data import HOLD_S, SAMPLE_RATE
    return int(HOLD_S * SAMPLE_RATE)


def eval_windows(held: dict, rf: int, end: int | None, n: int = 8) -> list:
    """The fixed held-out windows every evaluation uses (seed 1234), so scores are comparable across steps and runs."""
    g = torch.Generator().manual_seed(1234)
    return [windows(held, 8, min(4096, held["codes"].shape[1] // 2), 0.5, rf, g, end) for _ in range(n)]


@torch.no_grad()
def held_out_bits(net: WaveNet, batches: list, dev: torch.device) -> float:
    """Mean held-out NLL in bits per sample over fixed windows."""
    net.eval()
    tot, cnt = 0.0, 0.0
    for inp, tgt, mask, ins, pit, start in batches:
        logits = net(inp.to(dev), ins.to(dev), pit.to(dev), start.to(dev))
        ce = F.cross_entropy(logits.transpose(1, 2), tgt.to(dev), reduction="none")
        tot += float((ce * mask.to(dev)).sum())
        cnt += float(mask.sum())
    return tot / cnt / math.log(2)


def main() -> None:
    a = parse()
    seed_all(a.seed)
    dev = pick_device(a.device)
    a.out.mkdir(parents=True, exist_ok=True)
    train, held, meta = load_data(a.dry_run)
    if a.dry_run:
        a.window, a.batch, a.eval_every = 512, 2, 1
    dil = tuple(int(x) for x in a.dilations.split(","))
    net = WaveNet(len(meta["instruments"]), meta["pitch_max"] - meta["pitch_min"] + 1, a.residual, a.skip, dil,
                  a.kernel, pitch_min=meta["pitch_min"],
                  time_taus=tuple(float(x) for x in a.time_taus.split(",") if x)).to(dev)
    init_from = None
    if a.init and not (a.out / "ckpt.pt").exists():
        base = torch.load(a.init, map_location="cpu")
        src = base["ema"]
        init_from = {"run": str(a.init), "step": base["step"], "minutes": round(base["elapsed"] / 60, 1),
                     "input_noise": base["args"].get("input_noise", 0), "init_from": base.get("init_from")}
        own = net.state_dict()
        take = {k: v for k, v in src.items() if k in own and own[k].shape == v.shape}
        net.load_state_dict(take, strict=False)
        print(f"warm start from {a.init}: {len(take)}/{len(own)} tensors")
    ema = Ema(net, a.ema)
    opt = torch.optim.Adam(net.parameters(), a.lr)
    step, elapsed, best = 0, 0.0, None
    ck = None if a.dry_run else load_checkpoint(a.out / "ckpt.pt")
    if ck:
        net.load_state_dict(ck["net"]); ema.model.load_state_dict(ck["ema"]); opt.load_state_dict(ck["opt"])
        step, elapsed, best = ck["step"], ck["elapsed"], ck.get("held_out_bits")
        init_from = ck.get("init_from")
        torch.set_rng_state(ck["rng"])
        print(f"resumed at step {step}")
    log = Log(a.out, elapsed)
    end = held_end() if a.held_only else None
    eval_batches = eval_windows(held, net.receptive_field, end, 2 if a.dry_run else 8)
    if init_from and step == 0:  # the warm start's own score on these windows: what the new run must beat
        init_from["held_out_bits_here"] = held_out_bits(ema.model, eval_batches, dev)
        log(step=0, held_out_bits=init_from["held_out_bits_here"])
    g = torch.Generator().manual_seed(a.seed + step)
    budget_end = log.elapsed + a.minutes * 60
    max_steps = 2 if a.dry_run else 10 ** 9

    def checkpoint() -> None:
        if a.dry_run:
            return
        save_checkpoint(a.out / "ckpt.pt", {"net": net.state_dict(), "ema": ema.model.state_dict(), "opt": opt.state_dict(),
                        "step": step, "elapsed": log.elapsed, "held_out_bits": best, "config": net.config, "meta": meta,
                        "init_from": init_from,
                        **run_facts(), "rng": torch.get_rng_state(), "args": vars(a) | {"out": str(a.out)}})

    last_ck = log.elapsed
    while step < max_steps and log.elapsed < budget_end:
        frac = min(1.0, log.elapsed / (a.schedule_minutes * 60))
        for group in opt.param_groups:  # cosine from lr to lr/20 over the schedule, by elapsed time
            group["lr"] = a.lr * (0.05 + 0.95 * 0.5 * (1 + math.cos(math.pi * frac)))
        net.train()
        inp, tgt, mask, ins, pit, start = windows(train, a.batch, a.window, a.onset_share, net.receptive_field, g, end)
        if a.level_aug > 0:
            inp = level_augment(inp, a.level_aug, g, *(float(x) for x in a.level_range.split(",")))
        if a.input_noise > 0:
            inp = (inp + torch.round(torch.randn(inp.shape, generator=g) * a.input_noise)).clamp(0, 255).long()
        logits = net(inp.to(dev), ins.to(dev), pit.to(dev), start.to(dev))  # (b, W, 256)
        ce = F.cross_entropy(logits.transpose(1, 2), tgt.to(dev), reduction="none")
        loss = (ce * mask.to(dev)).sum() / mask.sum()
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(net.parameters(), 1.0)
        opt.step()
        ema.update(net, step)
        step += 1
        if step % 25 == 0 or a.dry_run:
            log(step=step, train_bits=loss.item() / math.log(2), lr=opt.param_groups[0]["lr"])
        if step % a.eval_every == 0:
            best = held_out_bits(ema.model, eval_batches, dev)
            log(step=step, held_out_bits=best)
        if log.elapsed - last_ck > 300:
            checkpoint()
            last_ck = log.elapsed
    best = held_out_bits(ema.model, eval_batches, dev)
    log(step=step, held_out_bits=best)
    checkpoint()
    (a.out / "metrics.json").write_text(json.dumps({"held_out_nll_bits_per_sample": round(best, 4), "steps": step}) + "\n")
    print(f"held_out_nll_bits_per_sample={best:.4f}")
    print(f"stopped at step {step} after {log.elapsed / 60:.1f} min")


if __name__ == "__main__":
    main()
