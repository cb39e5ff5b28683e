"""Every script that offers --dry-run runs it (a few steps on random data, in a temporary folder), the way
CI does, and prints what shows its loop ran. A new script with --dry-run fails the completeness test until
it is listed here or dry-run by its own test (`dry_run("<script>", ...)`)."""
import re

import pytest

from lstudio.text_data import AUSTEN_DB
from tests.dry_run import dry_run
from tests.helpers import TRAINING

# script → (extra arguments, text its output must contain)
DRY_RUNS = {
    "train_classifier.py": ([], "held-out accuracy"),
    "train_style_classifier.py": ([], "held-out accuracy"),
    "train_dcgan.py": ([], "step=2"),
    "train_vae.py": ([], "stopped at step 2"),
    "train_vaegan.py": ([], "stopped at step 2"),
    "train_rbm.py": ([], "stopped at epoch 1"),
    "eval_rbm.py": ([], "pseudo_log_likelihood_nats"),
    "train_char_lstm.py": (["--corpus", "austen"], "held_out_nats_full"),
    "train_wavenet.py": ([], "held_out_nll_bits_per_sample"),
}


@pytest.mark.parametrize("script", sorted(DRY_RUNS))
def test_dry_run(script, tmp_path):
    if script == "train_char_lstm.py" and not AUSTEN_DB.with_suffix(".rdb").exists():
        pytest.skip("apt-get install r-cran-janeaustenr")
    extra, expect = DRY_RUNS[script]
    out = dry_run(script, tmp_path, *extra, out=script.startswith("train_"))
    assert expect in out
    if script.startswith("train_"):  # the shared loop wrote a checkpoint and resumed from it (lstudio.loop.Run)
        assert "written and read back" in out or script == "train_classifier.py"


def test_every_dry_run_is_run():
    scripts = sorted(p.name for p in TRAINING.glob("*.py")
                     if "--dry-run" in p.read_text() or "add_run_args(" in p.read_text())  # the loop's flag
    elsewhere = " ".join(p.read_text() for p in (TRAINING / "tests").glob("test_*.py"))
    missing = [s for s in scripts if s not in DRY_RUNS and not re.search(rf'dry_run\(\s*"{re.escape(s)}"', elsewhere)]
    assert not missing, f"scripts with --dry-run that no test runs: {missing}"
