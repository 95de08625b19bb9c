"""Reports: self-contained HTML pages rendered from templates, and report.pdf of the client page."""

from posture.report.html import image_data_uri, render_report, write_report

__all__ = ["image_data_uri", "render_report", "write_report"]
