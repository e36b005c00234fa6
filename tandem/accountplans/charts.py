"""The QBR's revenue trend as an SVG drawn on the server, so the PDF carries it too."""

from decimal import Decimal

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from tandem.core.formatting import compact_money

WIDTH, HEIGHT = 640, 220
TOP, BOTTOM, LEFT, RIGHT = 24, 34, 8, 8
BAR = "#2f6fde"
BAR_CURRENT = "#173f8a"
BAR_COMPARE = "#9bb7ec"


def revenue_svg(trend: list[dict]) -> SafeString:
    """Bars per quarter; the last quarter (the QBR's) dark, the same quarter a year earlier
    light; each bar labelled with its amount."""
    count = len(trend)
    if not count:
        return mark_safe("")
    highest = max((row["total"] for row in trend), default=Decimal(0))
    plot_height = HEIGHT - TOP - BOTTOM
    slot = (WIDTH - LEFT - RIGHT) / count
    bar_width = slot * 0.62
    title = _("Invoiced revenue per quarter")
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'width="{WIDTH}" height="{HEIGHT}" role="img" aria-label="{escape(title)}" '
        f'class="qbr-chart" data-chart="revenue-trend">',
        f"<title>{escape(title)}</title>",
        f'<line x1="{LEFT}" y1="{HEIGHT - BOTTOM}" x2="{WIDTH - RIGHT}" '
        f'y2="{HEIGHT - BOTTOM}" stroke="#b8c0cc" stroke-width="1"/>',
    ]
    for i, row in enumerate(trend):
        total = row["total"]
        height = float(total / highest) * plot_height if highest > 0 else 0.0
        height = max(height, 0.0)
        x = LEFT + i * slot + (slot - bar_width) / 2
        y = HEIGHT - BOTTOM - height
        colour = BAR_CURRENT if i == count - 1 else BAR_COMPARE if i == count - 5 else BAR
        centre = x + bar_width / 2
        parts.append(
            f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar_width:.1f}" height="{height:.1f}" '
            f'fill="{colour}" data-period="{escape(row["period"])}" data-total="{total}"/>'
        )
        parts.append(
            f'<text x="{centre:.1f}" y="{y - 5:.1f}" text-anchor="middle" font-size="11" '
            f'fill="#1f2937">{escape(compact_money(total))}</text>'
        )
        parts.append(
            f'<text x="{centre:.1f}" y="{HEIGHT - BOTTOM + 16:.1f}" text-anchor="middle" '
            f'font-size="11" fill="#4b5563">{escape(row["label"])}</text>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 — every value in it is escaped above
