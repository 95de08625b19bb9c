"""``report.pdf``: the printed client page, laid out by WeasyPrint for A4 or Letter.

WeasyPrint is a CSS layout engine in Python (it draws text through Pango, which Debian
and most Linux systems have); the page's print rules (``@media print``, ``@page``) decide
the layout: figures and cards are never split across pages, headings stay with what
follows, and the footer numbers the pages.
"""

from __future__ import annotations

import logging
from pathlib import Path

from posture.errors import PostureError
from posture.io.atomic import atomic_path

__all__ = ["PdfError", "write_pdf"]


class PdfError(PostureError):
    """The PDF engine is missing or could not lay the page out."""


def _engine():
    from PIL import ImageFile

    truncated = ImageFile.LOAD_TRUNCATED_IMAGES
    try:
        import weasyprint
    except (ImportError, OSError) as exc:  # OSError: the Pango library is missing
        raise PdfError(f"cannot write a PDF: WeasyPrint is not usable here ({exc})") from exc
    finally:
        # WeasyPrint's import tells Pillow to accept truncated images, for the whole process; a
        # damaged picture must still be refused by the checks that run after a PDF was written.
        ImageFile.LOAD_TRUNCATED_IMAGES = truncated
    for name in ("weasyprint", "fontTools"):
        logging.getLogger(name).setLevel(logging.ERROR)
    return weasyprint


def write_pdf(page: str, path: str | Path, base: str | Path | None = None) -> Path:
    """Lay ``page`` (an HTML document with its print CSS) out and write it atomically to ``path``.

    ``base`` is the folder relative links resolve against (the report's own folder).
    """
    weasyprint = _engine()
    target = Path(path)
    document = weasyprint.HTML(string=page, base_url=str(base or target.parent), media_type="print")
    with atomic_path(target) as tmp:
        document.write_pdf(tmp)
    return target
