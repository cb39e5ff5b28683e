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

import torch
import torch.nn.functional as F

from lstudio.loop import ROOT, Ema, Run, add_run_args, cosine, warm_start
from lstudio.wavenet import WaveNet
from lstudio.wavenet_data import eval_windows, held_end, level_augment, load_data, windows
from lstudio.wavenet_eval import held_out_bits
from lstudio.wavenet_loop import load_from_onnx


def parse() -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    add_run_args(p, out="training/runs/wavenet", minutes=65)
    p.add_argument("--schedule-minutes", type=float, default=65, help="cosine lr decay spans this much training")
    p.add_argument("--batch", type=int, default=8, help="windows per step (8 × 2048 = 16k targets)")
    p.add_argument("--window", type=int, default=2048, help="samples per window (128 ms): 7 receptive fields")
    p.add_argument("--onset-share", type=float, default=0.3,
                   help="share of windows that start at the note onset from silence, as generation does")
    p.add_argument("--residual", type=int, default=32, help="32: one voice still runs >1x real time on 1 core")
    p.add_argument("--skip", type=int, default=128, help="width of the skip path into the 2-layer head")
    p.add_argument("--dilations", default="1,4,16,64,1,4", help="kernel 4: receptive field 271 > 2 C3 periods")
    p.add_argument("--kernel", type=int, default=4,
                   help="4, not WaveNet's 2: a batch-1 step pays per node, so fewer layers with more taps are faster")
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
    p.add_argument("--lr", type=float, default=2e-3, help="Adam peak; cosine to 1/20 of it over --schedule-minutes")
    p.add_argument("--ema", type=float, default=0.999, help="weight EMA decay: the exported weights")
    p.add_argument("--eval-every", type=int, default=250, help="steps between held-out scores (~5 min)")
    p.add_argument("--envelope", action="store_true",
                   help="condition on the target note's loudness envelope (per sample) and its velocity (see "
                        "lstudio.wavenet): struck notes can decay and a note can be released when the studio asks")
    p.add_argument("--ss-share", type=float, default=0.0,
                   help="parallel scheduled sampling (Duckworth et al. 2019): this share of input codes is replaced by "
                        "codes the model itself samples (temperature 1, one no-grad teacher-forced pass), so training "
                        "sees the errors generation feeds back and learns to pull them back to a clean waveform")
    p.add_argument("--init-onnx", type=Path, help="warm start (new run) from an exported generate.onnx (e.g. the shipped "
                   "models/wavenet-notes/generate.onnx): every weight whose name and shape match, new inputs at zero")
    p.add_argument("--init", type=Path, help="warm start (new run) from another run's ckpt.pt: every weight whose name "
                   "and shape match, the rest as initialised (e.g. the period tap, zero = no effect at first)")
    return p.parse_args()


def warm_start_onnx(path: Path, net: WaveNet) -> dict:
    """Load the weights of an exported graph (lstudio.wavenet_loop.load_from_onnx) whose names and shapes match;
    the rest (new inputs) stay at their zero init. → the record the card's warm-start chain reads."""
    src, _ = load_from_onnx(path)
    own, theirs = net.state_dict(), src.state_dict()
    state = {k: v for k, v in theirs.items() if k in own and own[k].shape == v.shape}
    net.load_state_dict(state, strict=False)
    print(f"warm start from {path}: {len(state)}/{len(own)} tensors")
    card = json.loads((path.parent / "card.json").read_text()) if (path.parent / "card.json").exists() else {}
    tr = card.get("training", {})
    path = path.resolve()
    return {"run": str(path.relative_to(ROOT) if ROOT in path.parents else path), "step": int(tr.get("step", 0)),
            "minutes": float(tr.get("minutes", 0)), "onnx": True, "init_from": tr.get("init_from")}


@torch.no_grad()
def own_samples(net: WaveNet, inp: torch.Tensor, cond: tuple, share: float, g: torch.Generator,
                dev: torch.device) -> torch.Tensor:
    """(b, W) input codes → the same with `share` of them replaced by the model's own sample of that code given the
    true past (inputs are targets shifted by one: logits[:, i] predict inp[:, i + 1]); inp[:, 0] stays."""
    net.eval()
    probs = torch.softmax(net(inp.to(dev), *cond).float(), -1)[:, :-1].cpu()  # (b, W-1, 256)
    net.train()
    own = torch.multinomial(probs.reshape(-1, 256), 1, generator=g).view(probs.shape[:2])
    pick = torch.rand(own.shape, generator=g) < share
    return torch.cat([inp[:, :1], torch.where(pick, own, inp[:, 1:])], 1)


def main() -> None:
    a = parse()
    run = Run(a, max_steps=10 ** 9)
    dev = run.device
    train, held, meta = load_data(a.dry_run)
    if a.dry_run:
        a.window, a.batch, a.eval_every = 512, 2, 1
    dil = tuple(int(x) for x in a.dilations.split(","))
    net = WaveNet(len(meta["instruments"]), meta["pitch_max"] - meta["pitch_min"] + 1, a.residual, a.skip, dil,
                  a.kernel, pitch_min=meta["pitch_min"],
                  time_taus=tuple(float(x) for x in a.time_taus.split(",") if x), envelope=a.envelope).to(dev)
    init_from = None
    if a.init_onnx and not run.resumed:
        init_from = warm_start_onnx(a.init_onnx, net)
    if a.init and not run.resumed:
        base = warm_start(a.init, net, "ema", partial=True)
        init_from = {"run": str(a.init), "step": base["step"], "minutes": round(base["elapsed"] / 60, 1),
                     "input_noise": base["args"].get("input_noise", 0), "init_from": base.get("init_from")}
    ema = Ema(net, a.ema)
    opt = torch.optim.Adam(net.parameters(), a.lr)
    run.restore(net=net, ema=ema.model, opt=opt)
    best = (run.resumed or {}).get("held_out_bits")
    if run.resumed:
        init_from = run.resumed.get("init_from")
    end = held_end() if a.held_only else None
    eval_batches = eval_windows(held, net.receptive_field, end, 2 if a.dry_run else 8)
    if init_from and run.step == 0:  # the warm start's own score on these windows: what the new run must beat
        init_from["held_out_bits_here"] = held_out_bits(ema.model, eval_batches, dev)
        run.log(step=0, held_out_bits=init_from["held_out_bits_here"])
    g = torch.Generator().manual_seed(a.seed + run.step)

    def checkpoint() -> None:
        run.checkpoint(held_out_bits=best, config=net.config, meta=meta, init_from=init_from)

    while run.running():
        for group in opt.param_groups:  # cosine from lr to lr/20 over the schedule, by elapsed time
            group["lr"] = a.lr * cosine(run.elapsed / (a.schedule_minutes * 60))
        net.train()
        inp, tgt, mask, ins, pit, start, env, vel = windows(train, a.batch, a.window, a.onset_share, net.receptive_field, g, end)
        cond = (ins.to(dev), pit.to(dev), start.to(dev)) + ((env.to(dev), vel.to(dev)) if a.envelope else ())
        if a.ss_share > 0:
            inp = own_samples(net, inp, cond, a.ss_share, g, dev)
        if a.level_aug > 0:
            inp = level_augment(inp, a.level_aug, g, *(float(x) for x in a.level_range.split(",")))
        if a.input_noise > 0:
            inp = (inp + torch.round(torch.randn(inp.shape, generator=g) * a.input_noise)).clamp(0, 255).long()
        logits = net(inp.to(dev), *cond)  # (b, W, 256)
        ce = F.cross_entropy(logits.transpose(1, 2), tgt.to(dev), reduction="none")
        loss = (ce * mask.to(dev)).sum() / mask.sum()
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(net.parameters(), 1.0)
        opt.step()
        ema.update(net, run.step)
        run.step += 1
        if run.every(25):
            run.log(step=run.step, train_bits=loss.item() / math.log(2), lr=opt.param_groups[0]["lr"])
        if run.step % a.eval_every == 0:
            best = held_out_bits(ema.model, eval_batches, dev)
            run.log(step=run.step, held_out_bits=best)
        if run.due(300):
            checkpoint()
    best = held_out_bits(ema.model, eval_batches, dev)
    run.log(step=run.step, held_out_bits=best)
    checkpoint()
    (run.out / "metrics.json").write_text(json.dumps({"held_out_nll_bits_per_sample": round(best, 4), "steps": run.step}) + "\n")
    print(f"held_out_nll_bits_per_sample={best:.4f}")
    run.finish()


if __name__ == "__main__":
    main()
