"""The report pages' template engine: Jinja2 templates with one base, stylesheet and components.

Every page (the photo and walking reports, the history, the batch index) extends
``templates/base.html`` and draws its parts with the macros of ``templates/components.html``.
Autoescaping is on: every value a template prints (client names, file names, captions,
measure notes, provenance) is HTML-escaped; only the templates' own markup is raw. A name a
template uses that its caller did not give is an error, not an empty string.
"""

from __future__ import annotations

from datetime import datetime
from functools import cache
from typing import Any

import jinja2

from posture.core.measure import Measure
from posture.core.names import plain_name
from posture.findings.units import format_quantity, format_uncertainty

__all__ = ["PAPER_SIZES", "environment", "measure_value", "render_page", "stylesheet", "when_text"]

#: Paper sizes a printed report (``--pdf``) is laid out for: CSS ``@page`` sizes.
PAPER_SIZES = {"a4": "A4", "letter": "letter"}

#: How the date a picture or clip was taken is known, in words.
TAKEN_FROM = {"stated": "as stated", "metadata": "from the file's metadata", "file time": "the file's time"}


def when_text(moment: datetime) -> str:
    """``5 January 2026``, with the time of day when there is one (``5 January 2026, 14:30``)."""
    if moment.time() == datetime.min.time():
        return f"{moment.day} {moment:%B %Y}"
    return f"{moment.day} {moment:%B %Y, %H:%M}"


def measure_value(m: Measure) -> str:
    """``61.2% ±0.5%``, or ``not measured``."""
    if not m.known:
        return "not measured"
    return f"{format_quantity(m.value, m.unit)} {format_uncertainty(m.uncertainty, m.unit)}"


@cache
def environment() -> jinja2.Environment:
    """The shared template environment (templates are package data of ``posture.report``)."""
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("posture.report", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(
        quantity=format_quantity,
        uncertainty=format_uncertainty,
        plain_name=plain_name,
        measure_value=measure_value,
        when=when_text,
    )
    env.globals["taken_from"] = TAKEN_FROM
    return env


def stylesheet(paper: str = "a4") -> str:
    """The shared stylesheet, for ``paper`` (a key of :data:`PAPER_SIZES`)."""
    return environment().get_template("style.css").render(paper=PAPER_SIZES[paper])


def render_page(template: str, **context: Any) -> str:
    """One page from ``templates/<template>`` with ``context``; the stylesheet is inlined.

    ``paper`` (a key of :data:`PAPER_SIZES`, default A4) sets the printed page size.
    """
    css = stylesheet(context.pop("paper", "a4"))
    return environment().get_template(template).render(css=css, **context)
