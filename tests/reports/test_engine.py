"""The WeasyPrint engine alone: nothing leaves the machine, local files stay out, Japanese text survives."""

from pathlib import Path

from tests.reports.conftest import pdf_text
from worker.reports import render_pdf

STATIC = Path(__file__).resolve().parents[2] / "workbench" / "static"


def _static(path: str) -> Path | None:
    return STATIC / path


def test_markup_that_points_at_the_network_or_local_files_fetches_nothing(trap):
    port, connections = trap
    html = f"""<html><head><link rel="stylesheet" href="http://127.0.0.1:{port}/style.css">
      <style>@import url("http://127.0.0.1:{port}/imported.css"); body {{ background: url(http://127.0.0.1:{port}/bg.png) }}</style></head>
      <body><p>Visible text</p><img src="http://127.0.0.1:{port}/x"><img src="https://127.0.0.1:{port}/y">
      <img src="file:///etc/passwd"><object data="file:///etc/hostname"></object><iframe src="file:///etc/passwd"></iframe>
      <img src="static:../../../../etc/passwd"></body></html>"""
    rendered = render_pdf(html, resolve_static=lambda path: None)
    assert connections == []
    text = pdf_text(rendered.data)
    assert "Visible text" in text and "root:" not in text
    assert {"http", "https", "file"} <= set(rendered.refused)


def test_static_files_are_served_from_the_resolver_only(trap):
    requested = []

    def resolve(path: str) -> Path | None:
        requested.append(path)
        return _static(path)

    rendered = render_pdf(
        '<link rel="stylesheet" href="static:workbench/app.css"><p>x</p>', resolve_static=resolve
    )
    assert requested == ["workbench/app.css"] and rendered.refused == ()


def test_japanese_text_survives():
    html = "<p style=\"font-family: 'Noto Sans CJK JP'\">秘密保持契約書 第3条</p>"
    assert "秘密保持契約書 第3条" in pdf_text(render_pdf(html, resolve_static=_static).data)
