"""Reading a written report.pdf back: its pages' text and how far down each page the text reaches."""

from __future__ import annotations

from pathlib import Path

import pypdf


def pages(path: Path) -> list[tuple[str, float]]:
    """Each page's text and its fill: the share of the page's height from the top edge down to
    the lowest line of text (the page-number footer left out)."""
    reader = pypdf.PdfReader(str(path))
    out = []
    for page in reader.pages:
        height = float(page.mediabox.height)
        lowest = [height]

        def visit(text, cm, tm, font, size, lowest=lowest, height=height):
            y = cm[5] + tm[5] * cm[3] if cm else tm[5]
            if text.strip() and not text.strip().startswith("page ") and y > 0.06 * height:
                lowest[0] = min(lowest[0], y)

        text = page.extract_text(visitor_text=visit)
        out.append((text, (height - lowest[0]) / height))
    return out
