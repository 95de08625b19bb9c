"""Reports: one self-contained HTML page per analysis."""

from posture.report.html import image_data_uri, render_report, write_report

__all__ = ["image_data_uri", "render_report", "write_report"]
