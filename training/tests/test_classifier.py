"""The Fréchet distance behind the image metric behaves like a distance."""
import numpy as np

from lstudio.fid import frechet_distance


def test_frechet_distance_is_zero_for_same_set_and_grows_with_shift():
    a = np.random.default_rng(0).normal(size=(500, 8))
    assert abs(frechet_distance(a, a)) < 1e-6
    assert frechet_distance(a, a + 0.5) > frechet_distance(a, a + 0.1) > 0
