"""The reports in a real browser: headless Chromium lays each one out at desktop and phone width and
reports every element that reaches past the page's right edge (real model, real pixels)."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest

from posture.cli import main
from tests.conftest import SAMPLES

BROWSER = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(
    BROWSER is None, reason="Chromium is not installed (apt-get install chromium)"
)

#: The report is laid out in a frame of the given width (headless windows are at least 500 px wide);
#: the probe lists the elements whose right edge passes the frame's width.
_FRAME = """<!DOCTYPE html><html><body style="margin:0">
<iframe id="f" src="{page}" style="width:{width}px;height:6000px;border:0"></iframe><script>
document.getElementById("f").addEventListener("load", () => {{
  const doc = document.getElementById("f").contentDocument, w = doc.documentElement.clientWidth, out = [];
  for (const el of doc.querySelectorAll("body *")) {{
    const r = el.getBoundingClientRect();
    const text = (el.textContent || "").slice(0, 40);
    if (r.width > 0 && r.right > w + 1) out.push(el.tagName + "[" + text + "]");
  }}
  const pre = document.createElement("pre"); pre.id = "probe";
  pre.textContent = "width " + w + ", over: " + out.join(" | ");
  document.body.appendChild(pre);
}});
</script></body></html>
"""


def _overflowing(folder, page: str, width: int, tmp_path) -> str:
    """What passes the right edge of ``page`` (in ``folder``) laid out ``width`` px wide ("" = nothing)."""
    probe = folder / f".probe-{width}.html"
    probe.write_text(_FRAME.format(page=page, width=width))
    args = [BROWSER, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-sync",
            "--disable-background-networking", "--disable-component-update", "--allow-file-access-from-files",
            f"--user-data-dir={tmp_path / 'profile'}", "--window-size=1400,2000",
            "--virtual-time-budget=5000", "--dump-dom", probe.as_uri()]  # fmt: skip
    dom = subprocess.run(args, capture_output=True, text=True, timeout=120).stdout
    probe.unlink()
    found = re.search(r'<pre id="probe">width (\d+), over: ([^<]*)</pre>', dom)
    assert found, f"the probe did not run: {dom[-300:]}"
    assert abs(int(found.group(1)) - width) <= 20  # the frame's width, less a scroll bar
    return found.group(2)


@pytest.fixture(scope="module")
def reports(tmp_path_factory):
    root = tmp_path_factory.mktemp("reports")
    db = root / "h.sqlite"
    runs = {
        "photo": [
            "photo",
            str(SAMPLES / "stand_front_hipdrop.png"),
            "--height-cm",
            "170",
            "--date",
            "2026-01-05",
        ],
        "photo2": [
            "photo",
            str(SAMPLES / "stand_front_followup.png"),
            "--height-cm",
            "170",
            "--date",
            "2026-03-02",
        ],
        "side": ["photo", str(SAMPLES / "stand_side_tilt.png")],
        "gait": ["gait", str(SAMPLES / "walk_side.mp4"), "--height-cm", "175", "--no-progress"],
    }
    for name, args in runs.items():
        client = ["--client", "Ann", "--db", str(db)] if name.startswith("photo") else []
        assert main([*args, *client, "--out", str(root / name)]) == 0
    assert main(["history", "Ann", "--db", str(db), "--out", str(root / "history")]) == 0
    return root


@pytest.mark.slow
@pytest.mark.parametrize("width", [1280, 390])
@pytest.mark.parametrize(
    ("folder", "page"),
    [("photo", "report.html"), ("side", "report.html"), ("gait", "report.html"), ("history", "history.html")],
)
def test_nothing_reaches_past_the_page_edge(reports, folder, page, width, tmp_path):
    assert _overflowing(reports / folder, page, width, tmp_path) == ""
