"""Run a training script's --dry-run (2 steps on random data) the way CI does."""
import subprocess
import sys

from tests.helpers import TRAINING


def dry_run(script: str, tmp_path, *extra: str) -> str:
    r = subprocess.run([sys.executable, str(TRAINING / script), "--dry-run", "--out", str(tmp_path), *extra],
                       capture_output=True, text=True, cwd=TRAINING, timeout=300)
    assert r.returncode == 0, r.stderr
    return r.stdout
