"""Run a script's --dry-run (a few steps on random data) the way CI does."""
import subprocess
import sys

from tests.helpers import TRAINING


def dry_run(script: str, tmp_path, *extra: str, out: bool = True) -> str:
    """out: pass --out tmp_path (training scripts take one; eval scripts write nothing in a dry run)."""
    where = ["--out", str(tmp_path)] if out else []
    r = subprocess.run([sys.executable, str(TRAINING / script), "--dry-run", *where, *extra],
                       capture_output=True, text=True, cwd=TRAINING, timeout=300)
    assert r.returncode == 0, r.stderr
    return r.stdout
