"""Parts of the single-check report that tests/test_unit/test_report.py leaves open: withheld findings,
the measure rows of a real walk, provenance flattening, the default disclaimer, PNG data URIs."""

from __future__ import annotations

import base64
import html
import re
from datetime import datetime

import cv2
import numpy as np
import pytest

from posture.core.measure import Measure
from posture.data.skeleton import Side
from posture.findings import evaluate, index_measures, load_knowledge, recommend
from posture.findings.types import General
from posture.findings.units import format_uncertainty
from posture.report.html import image_data_uri, render_report
from tests.test_unit._fixtures import gait_document

KB = load_knowledge()


def _page(measures: list[Measure], **kw) -> str:
    findings = evaluate(index_measures(measures), KB)
    args = {
        "title": "Walking report", "subtitle": "walk.mp4", "images": [], "measures": measures,
        "findings": findings, "recommendations": recommend(findings, KB), "general": KB.general,
        "provenance": {}, "client": None, "warnings": [], "created": datetime(2026, 1, 2, 3, 4),
    }  # fmt: skip
    return render_report(**{**args, **kw})


def _row(page: str, name: str) -> str:
    return re.search(
        rf"<tr><td>[^<]*(?:<span[^>]*>[^<]*</span>)?<div><code>{name}</code>.*?</tr>", page, re.S
    ).group(0)


def test_a_real_walks_measures_each_get_one_row_with_value_or_reason():
    doc = gait_document()
    measures = [Measure.from_dict(name, data) for name, data in doc["measures"].items()]
    page = _page(measures)
    assert page.count('</code></div></td><td class="num">') == len(measures)
    cadence = doc["measures"]["cadence_spm"]
    shown = f"{cadence['value']:.0f} steps/min {format_uncertainty(cadence['uncertainty'], 'steps/min')}"
    assert html.escape(shown, quote=False) in _row(page, "cadence_spm")
    assert "±0 steps/min" not in _row(page, "cadence_spm")  # an uncertainty is never shown as zero
    speed = _row(page, "speed_m_s")
    assert "not measured" in speed and "step length and speed need --height-cm and a side view" in speed
    assert '<span class="badge plain">estimate</span>' in _row(page, "pelvic_drop_deg_left")


def test_a_measure_row_shows_value_uncertainty_unit_and_meaning():
    m = Measure(
        "stance_pct_left", 61.234, "%", 0.46, "stance as % of the cycle.", note="mean of 4", side=Side.LEFT
    )
    row = _row(_page([m]), "stance_pct_left")
    assert row == (
        "<tr><td>Stance (share of the stride), left<div><code>stance_pct_left</code></div></td>"
        '<td class="num">61.2% ±0.5%</td><td>%</td>'
        '<td>stance as % of the cycle.<div class="muted">mean of 4</div></td></tr>'
    )


def test_withheld_findings_replace_the_summary_with_the_reason():
    m = [Measure("pelvic_obliquity_deg", -6.0, "deg", 0.5, "hip line")]
    page = _page(m, findings=[], recommendations=[], withheld="the feet are not in the picture")
    assert "<h3>No findings from this picture</h3><div>the feet are not in the picture</div>" in page
    assert "No measure reached a screening band." not in page
    assert "<code>pelvic_obliquity_deg</code>" in page  # the measures are still listed


def test_no_measures_means_no_measures_section():
    assert ">Every measure<" not in _page([])


def test_provenance_is_flattened_into_dotted_rows():
    page = _page([], provenance={"model": {"name": "full", "sha256": "ab"}, "frames": [1, 2], "fps": None})
    for key, value in (("model.name", "full"), ("model.sha256", "ab"), ("frames", "1, 2"), ("fps", "–")):
        assert f"<tr><th>{key}</th><td><code>{value}</code></td></tr>" in page


def test_the_default_disclaimer_is_used_when_the_knowledge_base_has_none():
    page = _page([], general=General(guidance=(), disclaimer=""))
    assert "<p>This report is a screening aid, not a diagnosis.</p>" in page
    assert "Before you start" not in page
    assert "No exercise is suggested because no finding was made." in page


def test_png_data_uri_of_a_colour_image_decodes_to_the_same_pixels():
    image = np.random.default_rng(3).integers(0, 256, (7, 9, 3), dtype=np.uint8)
    uri = image_data_uri(image, "png")
    data = base64.b64decode(uri.removeprefix("data:image/png;base64,"))
    back = cv2.imdecode(np.frombuffer(data, np.uint8), cv2.IMREAD_COLOR)
    assert (back == image).all()


def test_an_unknown_image_format_is_refused():
    with pytest.raises(ValueError, match="expected fmt 'jpeg' or 'png', got 'gif'"):
        image_data_uri(np.zeros((2, 2, 3), np.uint8), "gif")
