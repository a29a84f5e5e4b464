"""DerSimonian-Laird pooling against hand calculations."""

import numpy as np
import pytest

from trustlens.analytics.impact.meta import Z95, pool_effects


def _ci(effect, se):
    return effect - Z95 * se, effect + Z95 * se


def test_homogeneous_effects_pool_to_the_inverse_variance_mean():
    effects, ses = [0.2, 0.2, 0.2], [0.1, 0.2, 0.1]
    lows, highs = zip(*(_ci(e, s) for e, s in zip(effects, ses, strict=True)), strict=True)
    pooled = pool_effects(effects, lows, highs)
    w = 1 / np.square(ses)
    assert pooled.effect_size == pytest.approx(0.2)
    assert pooled.tau2 == 0
    assert pooled.ci_high - pooled.ci_low == pytest.approx(2 * Z95 / np.sqrt(w.sum()))


def test_heterogeneous_effects_widen_the_interval():
    effects, ses = np.array([-0.2, 0.1, 0.5]), np.array([0.1, 0.1, 0.1])
    lows, highs = effects - Z95 * ses, effects + Z95 * ses
    pooled = pool_effects(effects, lows, highs)
    w = 1 / ses**2
    q = np.sum(w * (effects - effects.mean()) ** 2)
    tau2 = (q - 2) / (w.sum() - (w**2).sum() / w.sum())
    assert pooled.tau2 == pytest.approx(tau2)
    assert pooled.effect_size == pytest.approx(effects.mean())
    assert pooled.ci_high - pooled.ci_low == pytest.approx(2 * Z95 * np.sqrt((0.01 + tau2) / 3))
    assert 0 < pooled.i2 < 1 and pooled.k == 3


def test_nothing_to_pool():
    assert pool_effects([], [], []) is None
