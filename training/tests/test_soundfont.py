"""The shipped soundfont (assets/soundfonts/latent-gm-small.sf3): the programs the studio offers, nothing else, small,
every zone pointing at a sample that is there, the piano reaching velocity 127, and the script rebuilding it exactly."""
import shutil

import pytest

import make_soundfont as sf

pdta = sf.read(sf.OUT)[1]


def test_holds_the_offered_programs_mono_and_small():
    assert sf.OUT.stat().st_size <= sf.MAX_BYTES
    assert [(h[1], h[2]) for h in pdta[b"phdr"][:-1]] == [(p, 0) for p in sf.PROGRAMS]
    n_samples = len(pdta[b"shdr"]) - 1
    used = {g[1] for g in pdta[b"igen"][:-1] if g[0] == sf.GEN_SAMPLE}
    assert used == set(range(n_samples))  # every sample used, every zone's sample present
    assert all(s[9] == sf.COMPRESSED | sf.MONO for s in pdta[b"shdr"][:-1])
    piano = sf.zones(pdta, "p", 0)
    assert max(sf.gen(z, sf.GEN_VELRANGE) >> 8 for z in piano if sf.gen(z, sf.GEN_VELRANGE) is not None) == 127


@pytest.mark.skipif(not sf.SOURCE.exists(), reason="musescore-general-soundfont is not installed")
def test_script_rebuilds_the_shipped_file(tmp_path, monkeypatch):
    info, full, smpl = sf.read(sf.SOURCE)
    new, data = sf.subset(full, smpl)
    sf.write(tmp_path / "x.sf3", info, new, data)
    assert (tmp_path / "x.sf3").read_bytes() == sf.OUT.read_bytes()


@pytest.mark.skipif(shutil.which("fluidsynth") is None, reason="fluidsynth is not installed")
def test_every_program_sounds():
    import numpy as np
    notes = [(p, 60) for p in sf.PROGRAMS]
    rms = np.sqrt((sf.render(sf.OUT, notes) ** 2).mean(1))
    assert (rms > 1e-3).all(), dict(zip(sf.PROGRAMS, rms.round(4)))
