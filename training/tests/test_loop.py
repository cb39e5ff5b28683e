"""The shared training loop (lstudio.loop): a run resumes where its checkpoint stopped (weights, optimiser,
counter, RNG, elapsed time), the budgets end runs, optional states load when present, a dry run never
touches the real run folder, and the cosine schedule and EMA behave."""
import argparse

import torch

from lstudio.loop import Ema, Run, cosine


def _args(out, minutes=1.0, dry=False):
    return argparse.Namespace(out=out, minutes=minutes, seed=0, device="cpu", dry_run=dry)


def _train(run, net, opt, steps):
    while run.running() and run.step < steps:
        loss = net(torch.randn(4, 3)).pow(2).mean()
        opt.zero_grad(); loss.backward(); opt.step()
        run.step += 1


def test_resume_continues_weights_optimiser_counter_and_rng(tmp_path):
    net = torch.nn.Linear(3, 2); opt = torch.optim.Adam(net.parameters(), 1e-2)
    run = Run(_args(tmp_path), max_steps=100)
    run.restore(net=net, opt=opt)
    _train(run, net, opt, 3)
    run.checkpoint(extra_fact=7)
    after = torch.randn(1)  # what the RNG gives next, had the run gone on
    net2 = torch.nn.Linear(3, 2); opt2 = torch.optim.Adam(net2.parameters(), 1e-2)
    again = Run(_args(tmp_path), max_steps=100)
    again.restore(net=net2, opt=opt2)
    assert again.step == 3 and again.resumed["extra_fact"] == 7 and again.elapsed >= again.resumed["elapsed"]
    assert all(torch.equal(a, b) for a, b in zip(net.state_dict().values(), net2.state_dict().values()))
    assert opt2.state_dict()["state"][0]["step"] == 3
    assert torch.equal(torch.randn(1), after)
    assert not again.restore(optional=True, ema=torch.nn.Linear(3, 2))  # absent from this checkpoint: not an error


def test_budgets_end_runs(tmp_path):
    assert not Run(_args(tmp_path / "a", minutes=0), max_steps=10).running()  # no time left
    run = Run(_args(tmp_path / "b"), max_steps=2)
    run.step = 2
    assert not run.running()  # the step cap
    total = Run(_args(tmp_path / "c", minutes=0.5), max_steps=10, budget="total")
    total.log.t0 -= 60  # a minute already spent in earlier invocations: a total budget of 30 s is used up
    assert not total.running()


def test_dry_run_never_touches_the_real_run(tmp_path):
    real = tmp_path / "run"
    net = torch.nn.Linear(3, 2)
    run = Run(_args(real, dry=True), max_steps=10)
    run.restore(net=net)
    assert run.max_steps == 2 and run.every(50) and run.due(300)
    run.checkpoint(); run.finish()
    assert not real.exists() and run.out != real


def test_cosine_and_ema():
    assert cosine(0) == 1 and abs(cosine(1) - 0.05) < 1e-12 and cosine(2) == cosine(1) and 0.05 < cosine(0.5) < 1
    net = torch.nn.Linear(1, 1, bias=False)
    ema = Ema(net, 0.9)
    with torch.no_grad():
        net.weight.fill_(1.0)
        ema.model.weight.fill_(0.0)
    for step in range(1000):
        ema.update(net, step)
    assert abs(float(ema.model.weight) - 1.0) < 1e-3  # the average reaches a constant
