"""QR codes drawn on the server as inline SVG (no image service, no script)."""

from __future__ import annotations

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe


def qr_svg(data: str, label: str) -> SafeString:
    """A QR code as inline SVG. SvgPathImage writes presentation attributes only (no style="..."), so the page's
    Content-Security-Policy (style-src 'self') does not block it."""
    import qrcode
    import qrcode.image.svg

    image = qrcode.make(data, image_factory=qrcode.image.svg.SvgPathImage, border=4)
    svg = image.to_string(encoding="unicode")
    svg = svg[svg.index("<svg") :]  # drop any XML declaration: the SVG is inlined into HTML
    svg = svg.replace("<svg", f'<svg role="img" aria-label="{escape(label)}" focusable="false"', 1)
    # The markup is produced by qrcode from path data alone; the only text in it is the escaped label.
    return mark_safe(svg)  # noqa: S308
