"""Train a character-level LSTM on a prose corpus (Jane Austen's six novels, or Moby Dick).

    OMP_NUM_THREADS=2 /usr/bin/python3 training/train_char_lstm.py --corpus austen --out training/runs/lstm-austen --minutes 90

Truncated back-propagation through time over `batch` contiguous streams of the training text (state carried
from one window to the next, as in char-rnn), so the model sees context far longer than one window.
Held out: every 10th chapter (lstudio.text_data), scored in nats/char with carried state. The learning rate
follows a cosine over the *time* budget, so a resumed run continues the same schedule. Checkpoints every
few minutes (`<out>/ckpt.pt`, resumable); `--dry-run` trains 3 tiny steps. Then training/export_char_lstm.py
(training/eval_char_lstm.py scores an exported model again).
"""
from __future__ import annotations

import argparse
from pathlib import Path

import torch
import torch.nn.functional as F

from lstudio.char_lstm import CharLSTM
from lstudio.loop import Run, add_run_args, cosine, warm_start
from lstudio.text_batches import encode, streams
from lstudio.text_data import CORPORA, shared_vocabulary, split_chapters
from lstudio.text_eval import held_out_nats


def parse() -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    add_run_args(p, out=None, minutes=90, seed=1,
                 minutes_help="total training time across resumes (the lr schedule spans it)")
    p.add_argument("--corpus", choices=sorted(CORPORA), default="austen", help="the voice (lstudio.text_data)")
    p.add_argument("--hidden", type=int, default=512, help="2×512: best held-out loss per CPU-hour in our trials")
    p.add_argument("--layers", type=int, default=2, help="char-rnn's default depth")
    p.add_argument("--batch", type=int, default=32, help="parallel streams; small batches = more updates per hour")
    p.add_argument("--window", type=int, default=100, help="BPTT window in characters")
    p.add_argument("--lr", type=float, default=3e-3, help="Adam peak; cosine to 5% over the budget")
    p.add_argument("--dropout", type=float, default=0.1, help="4M chars vs 3.3M params: mild regularisation")
    p.add_argument("--eval-chars", type=int, default=60_000, help="held-out chars scored at each checkpoint")
    p.add_argument("--init", type=Path, help="start from another run's ckpt.pt (transfer: English first, then a voice)")
    return p.parse_args()


def main() -> None:
    a = parse()
    run = Run(a, max_steps=10**9, dry_steps=3, budget="total")
    dev = run.device
    train_text, held_text = split_chapters(CORPORA[a.corpus]())
    if a.dry_run:
        train_text, held_text, a.hidden, a.batch, a.window = train_text[:20_000], held_text[:2_000], 32, 4, 20
    vocab = shared_vocabulary()  # one alphabet for every voice: a model can start from another's weights
    train_ids, held_ids = encode(train_text, vocab), encode(held_text, vocab)
    held_eval = held_ids[: a.eval_chars]
    net = CharLSTM(len(vocab), a.hidden, a.layers, dropout=a.dropout).to(dev)
    opt = torch.optim.Adam(net.parameters(), a.lr)
    run.restore(model=net, opt=opt)
    ck = run.resumed or {}
    epoch, pos, init_from = ck.get("epoch", 0), ck.get("pos", 0), ck.get("init_from")
    if not run.resumed and a.init and not a.dry_run:
        src = warm_start(a.init, net, "model")
        init_from = {"run": src["args"]["out"], "corpus": src["args"]["corpus"], "step": src["step"],
                     "minutes": round(src["elapsed"] / 60, 1)}
    budget = a.minutes * 60

    def save(held: float) -> None:
        run.checkpoint(epoch=epoch, pos=pos, vocab=vocab, held_out_nats=held, init_from=init_from)

    data = streams(train_ids, a.batch, epoch * 9973).to(dev)
    h, c = net.zero_state(a.batch, dev)
    while run.running():
        if pos + a.window + 1 > data.shape[1]:  # epoch done: new cut points, fresh state
            epoch, pos = epoch + 1, 0
            data = streams(train_ids, a.batch, epoch * 9973).to(dev)
            h, c = net.zero_state(a.batch, dev)
        x, y = data[:, pos:pos + a.window], data[:, pos + 1:pos + 1 + a.window]  # (b, window) each
        lr = a.lr * cosine(run.elapsed / budget)
        for g in opt.param_groups:
            g["lr"] = lr
        logits, h, c = net(x, h.detach(), c.detach())
        loss = F.cross_entropy(logits.reshape(-1, net.vocab), y.reshape(-1))
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(net.parameters(), 1.0)  # LSTM gradients spike at chapter breaks
        opt.step()
        run.step, pos = run.step + 1, pos + a.window
        if run.step % 50 == 0:
            run.log(step=run.step, epoch=epoch, lr=lr, train_nats=loss.item())
        if run.due(300):
            held = held_out_nats(net, held_eval, dev)
            run.log(step=run.step, held_out_nats=held)
            save(held)
    held = held_out_nats(net, held_ids, dev)  # the whole held-out set at the end
    run.log(step=run.step, held_out_nats_full=held)
    save(held)
    run.finish()


if __name__ == "__main__":
    main()
