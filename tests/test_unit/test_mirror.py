"""Mirror equivariance rules (:mod:`posture.standing.mirror`): exact answers on made-up halves."""

import pytest

from posture.core.measure import Measure
from posture.standing.combine import MEANINGS
from posture.standing.mirror import MIRRORING, Mirroring, combine_measures, combine_pair, twin_name


def _m(name: str, value: float | None, unc: float | None = 0.5) -> Measure:
    return Measure(name, value, "deg", unc, "")


def test_every_standing_measure_declares_its_mirroring():
    assert set(MEANINGS) | {"anterior_pelvic_tilt_deg"} <= set(MIRRORING)


@pytest.mark.parametrize(
    ("name", "direct", "mirror", "expected"),
    [
        ("pelvic_obliquity_deg", 2.8, 2.3, 0.25),  # a bias that does not flip cancels
        ("pelvic_obliquity_deg", 2.0, -2.0, 2.0),
        ("leg_length_ratio", 1.02, 1 / 1.02, 1.02),
        ("trunk_lean_deg", 3.0, 5.0, 4.0),
        ("knee_alignment_deg_left", 4.0, 2.0, 3.0),
        ("pelvic_obliquity_deg", None, 1.5, -1.5),
        ("pelvic_obliquity_deg", 1.5, None, 1.5),
    ],
)
def test_combine_pair(name, direct, mirror, expected):
    assert combine_pair(name, direct, mirror)[0] == pytest.approx(expected)


@pytest.mark.parametrize("name", sorted(MIRRORING))
@pytest.mark.parametrize(("a", "b"), [(2.79, 2.33), (1.07, 0.99), (-0.4, 3.1)])
def test_mirrored_halves_give_the_mirrored_answer_exactly(name, a, b):
    """f(m(p)) computed from the swapped halves is the mirror of f(p), bit for bit."""
    if MIRRORING[name] is Mirroring.INVERT:
        a, b = abs(a), abs(b)
    f_p, gap_p = combine_pair(name, a, b)
    f_mp, gap_mp = combine_pair(twin_name(name), b, a)
    assert f_p is not None and f_mp is not None
    if MIRRORING[name] is Mirroring.FLIP:
        assert f_mp == -f_p
    elif MIRRORING[name] is Mirroring.INVERT:
        assert f_mp == pytest.approx(1 / f_p, rel=1e-12)
    else:
        assert f_mp == f_p
    assert gap_mp == pytest.approx(gap_p, abs=1e-12)


def test_discrepancy_widens_the_uncertainty():
    out = combine_measures({"pelvic_obliquity_deg": _m("pelvic_obliquity_deg", 3.0, 0.4)},
                           {"pelvic_obliquity_deg": _m("pelvic_obliquity_deg", 1.0, 0.4)})  # fmt: skip
    m = out["pelvic_obliquity_deg"]
    assert m.value == pytest.approx(1.0)
    assert m.uncertainty == pytest.approx((0.4**2 + 2.0**2) ** 0.5)
    assert "differ by 4.00 deg" in m.note


def test_knee_measures_swap_sides():
    direct = {"knee_alignment_deg_left": _m("knee_alignment_deg_left", 5.0),
              "knee_alignment_deg_right": _m("knee_alignment_deg_right", -1.0)}  # fmt: skip
    mirror = {"knee_alignment_deg_left": _m("knee_alignment_deg_left", -1.0),
              "knee_alignment_deg_right": _m("knee_alignment_deg_right", 5.0)}  # fmt: skip
    out = combine_measures(direct, mirror)
    assert out["knee_alignment_deg_left"].value == 5.0 and out["knee_alignment_deg_right"].value == -1.0


def test_undeclared_measure_is_an_error():
    with pytest.raises(KeyError, match="no declared mirroring"):
        twin_name("new_measure_deg")
