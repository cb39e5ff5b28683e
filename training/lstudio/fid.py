"""Fréchet distance between two feature sets (Heusel et al. 2017), on our emoji classifier's features.
numpy only (scipy is not installed): the matrix square root comes from an eigendecomposition."""
import numpy as np


def _sqrtm_psd(m: np.ndarray) -> np.ndarray:
    w, v = np.linalg.eigh((m + m.T) / 2)
    return (v * np.sqrt(np.clip(w, 0, None))) @ v.T


def frechet_distance(a: np.ndarray, b: np.ndarray) -> float:
    """a: (n, d), b: (m, d) features → FD between their Gaussian fits."""
    mu1, mu2 = a.mean(0), b.mean(0)
    s1, s2 = np.cov(a, rowvar=False), np.cov(b, rowvar=False)
    r1 = _sqrtm_psd(s1)
    covmean = _sqrtm_psd(r1 @ s2 @ r1)  # sqrt(s1^½ s2 s1^½) has the same trace as sqrt(s1 s2)
    return float(((mu1 - mu2) ** 2).sum() + np.trace(s1) + np.trace(s2) - 2 * np.trace(covmean))
