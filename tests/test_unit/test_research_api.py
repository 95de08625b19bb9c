"""The research API: landmarks from files and other tools into the checks, and results as tables."""

from __future__ import annotations

import numpy as np
import pytest

from posture.core.result import CheckResult
from posture.gait import analyse_gait
from posture.io.landmarks import read_landmarks_csv, write_landmarks_csv
from tests.conftest import planted_walk


def _events(result) -> list[tuple[str, str, float]]:
    return [(str(e.side), e.kind, round(e.time_s, 6)) for e in result.events]


def test_landmarks_csv_reads_back_and_analyses_the_same(tmp_path):
    seq, _ = planted_walk()
    path = write_landmarks_csv(seq, tmp_path / "landmarks.csv")
    back = read_landmarks_csv(path, seq.image_size)
    assert back.n_frames == seq.n_frames and back.fps == pytest.approx(seq.fps, rel=2e-3)
    np.testing.assert_allclose(back.xy_px, seq.xy_px, atol=0.006)  # written to 2 decimals
    a, b = _events(analyse_gait(back)), _events(analyse_gait(seq))
    assert [e[:2] for e in a] == [e[:2] for e in b]
    assert [e[2] for e in a] == pytest.approx([e[2] for e in b], abs=2e-3)  # times written to 0.1 ms


def test_a_sequence_from_another_tool_is_analysed_through_xarray():
    pytest.importorskip("xarray", reason="xarray is in the research extra: pip install 'posture[research]'")
    seq, _ = planted_walk()
    ds = seq.to_xarray()
    assert set(ds["position"].dims) == {"time", "space", "keypoints", "individuals"}
    assert ds.attrs["ds_type"] == "poses"
    other = type(seq).from_xarray(ds.drop_vars("world_position"))  # a tool without world coordinates
    assert _events(analyse_gait(other)) == _events(analyse_gait(seq))


def test_the_measures_as_a_tidy_table():
    pd = pytest.importorskip("pandas", reason="pandas is in the research extra")
    seq, _ = planted_walk()
    check = analyse_gait(seq, height_cm=170).check_result()
    table = check.to_frame()
    assert list(table.columns) == ["measure", "quantity", "side", "value", "unit", "uncertainty", "note"]
    assert len(table) == len(check.measures)
    stance = table[(table.quantity == "stance_pct") & (table.side == "left")].iloc[0]
    assert stance.value == pytest.approx(check.measures["stance_pct_left"].value)
    assert isinstance(table, pd.DataFrame)


def test_steps_as_a_table():
    pytest.importorskip("pandas", reason="pandas is in the research extra")
    seq, _ = planted_walk()
    result = analyse_gait(seq)
    steps = result.steps_frame()
    assert len(steps) == len(result.rows) and {"side", "heel_strike_s", "stance_pct"} <= set(steps.columns)


def test_a_check_result_survives_its_document():
    seq, _ = planted_walk()
    check = analyse_gait(seq, height_cm=170).check_result()
    again = CheckResult.from_document(check.to_document())
    assert again.kind == "gait" and again.view == check.view
    for name, m in check.measures.items():
        a = again.measures[name]
        assert (a.side, a.unit, a.note) == (m.side, m.unit, m.note)
        assert a.value == (None if m.value is None else pytest.approx(m.value, abs=1e-3))
