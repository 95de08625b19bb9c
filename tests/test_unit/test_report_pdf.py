"""report.pdf: the printed client page laid out by the real engine, A4 or Letter, written atomically."""

from __future__ import annotations

import sys

import numpy as np
import pypdf
import pytest

from posture.core.measure import Measure
from posture.findings import evaluate, index_measures, load_knowledge, recommend
from posture.report.html import render_report
from posture.report.pdf import PdfError, write_pdf
from tests.pdf_pages import pages

KB = load_knowledge()


def _printed(paper: str, measures: list[Measure]) -> str:
    findings = evaluate(index_measures(measures), KB)
    return render_report(
        title="Standing posture check", subtitle="front view", images=[], measures=measures,
        findings=findings, recommendations=recommend(findings, KB), general=KB.general, provenance={},
        client="Ann", warnings=[], printed=True, paper=paper,
    )  # fmt: skip


@pytest.mark.parametrize(("paper", "size"), [("a4", (595, 842)), ("letter", (612, 792))])
def test_the_pdf_has_the_paper_size_and_the_client_page(tmp_path, paper, size):
    path = write_pdf(_printed(paper, [Measure("pelvic_obliquity_deg", 4.0, "deg", 0.5)]), tmp_path / "r.pdf")
    reader = pypdf.PdfReader(str(path))
    assert tuple(round(float(v)) for v in reader.pages[0].mediabox[2:]) == size
    printed = pages(path)
    text = " ".join(t for t, _ in printed)
    assert "Left hip higher" in text and "Exercises to do" in text and "Screening, not diagnosis" in text
    assert f"page 1 of {len(printed)}" in printed[0][0]  # numbered pages
    assert [p.name for p in tmp_path.iterdir()] == ["r.pdf"]  # nothing left beside it


def test_no_finding_fits_one_page(tmp_path):
    path = write_pdf(_printed("a4", [Measure("pelvic_obliquity_deg", 0.5, "deg", 0.5)]), tmp_path / "r.pdf")
    assert len(pages(path)) == 1


def test_a_missing_engine_is_one_clear_error_and_no_file(tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "weasyprint", None)  # what an absent package looks like to import
    with pytest.raises(PdfError, match="cannot write a PDF: WeasyPrint is not usable here"):
        write_pdf(_printed("a4", []), tmp_path / "r.pdf")
    assert not (tmp_path / "r.pdf").exists()


def test_writing_a_pdf_leaves_damaged_pictures_refused(tmp_path):
    from PIL import Image

    from posture.errors import InputError
    from posture.sources.image import read_image

    write_pdf(_printed("a4", []), tmp_path / "r.pdf")  # WeasyPrint's import flips a Pillow-wide switch
    cut = tmp_path / "cut.jpg"
    ramp = np.tile(np.linspace(0, 255, 400, dtype=np.uint8), (300, 1))
    Image.fromarray(np.dstack([ramp, ramp[::-1], ramp])).save(cut, quality=90)
    cut.write_bytes(cut.read_bytes()[:1500])
    with pytest.raises(InputError, match="damaged or truncated"):
        read_image(cut)
