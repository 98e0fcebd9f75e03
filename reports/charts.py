"""Charts drawn by the server as SVG: no JavaScript, no library, nothing fetched from elsewhere.

Each chart is an ``<svg role="img">`` named by an ``aria-label``, drawn in explicit colours *and* line
styles (a solid line with dots, a dashed line with squares) so that it reads on a grey printout, and
comes with its figures as rows for a table alternative (``templates/reports/dashboard_chart.html``).
Right to left: in Arabic time runs from right to left and the value axis sits on the right.
"""

import math
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

WIDTH, HEIGHT = 800, 280
MARGIN_SIDE, MARGIN_TOP, MARGIN_BOTTOM = 56, 16, 44
INK, GRID, MUTED = "#1b1f23", "#dde2e5", "#4a5560"
# Colours from the design system, each with its own dash and marker.
STYLES = (
    {"colour": "#0b5d3b", "dash": "", "marker": "circle"},
    {"colour": "#b26b00", "dash": "7 4", "marker": "square"},
)
MAX_X_LABELS = 8


@dataclass(frozen=True)
class Series:
    label: str
    values: list[float]


@dataclass(frozen=True)
class Chart:
    title: str
    labels: list[str]
    series: list[Series]
    svg: SafeString

    @property
    def rows(self) -> list[tuple[str, list[float]]]:
        """One row per point: its label, then each series' value (the table alternative)."""
        return [(label, [s.values[i] for s in self.series]) for i, label in enumerate(self.labels)]

    @property
    def legend(self) -> list[dict]:
        return [{"label": s.label, **STYLES[i % len(STYLES)]} for i, s in enumerate(self.series)]


TICKS = 4


def nice_ceiling(value: float) -> float:
    """The axis' top: four whole steps of 1, 2 or 5 times a power of ten, at or above ``value``."""
    wanted = max(value / TICKS, 1)
    power = 10 ** math.floor(math.log10(wanted))
    step = next(s * power for s in (1, 2, 5, 10) if wanted <= s * power)
    return step * TICKS


def _number(value: float) -> str:
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"


class _Canvas:
    """The plot area and its mapping from (index, value) to SVG coordinates, mirrored for RTL."""

    def __init__(self, *, points: int, top: float, rtl: bool, band: bool, width: int = WIDTH):
        self.points, self.top, self.rtl, self.band = points, top, rtl, band
        self.left, self.right = MARGIN_SIDE, width - MARGIN_SIDE
        self.upper, self.lower = MARGIN_TOP, HEIGHT - MARGIN_BOTTOM

    @property
    def step(self) -> float:
        slots = self.points if self.band else max(self.points - 1, 1)
        return (self.right - self.left) / slots

    def x(self, index: int) -> float:
        offset = self.step * (index + 0.5 if self.band else index)
        if not self.band and self.points == 1:
            offset = (self.right - self.left) / 2
        return self.right - offset if self.rtl else self.left + offset

    def y(self, value: float) -> float:
        return self.lower - (self.lower - self.upper) * (value / self.top)

    def axes(self, labels: list[str]) -> list[str]:
        parts = []
        axis_x, anchor = (self.right + 8, "start") if self.rtl else (self.left - 8, "end")
        for i in range(TICKS + 1):
            value = self.top * i / TICKS
            y = self.y(value)
            parts.append(
                f'<line x1="{self.left}" x2="{self.right}" y1="{y:.1f}" y2="{y:.1f}" stroke="{GRID}"/>'
                f'<text x="{axis_x}" y="{y + 4:.1f}" text-anchor="{anchor}" fill="{MUTED}">'
                f"{_number(value)}</text>"
            )
        parts.append(
            f'<line x1="{self.left}" x2="{self.right}" y1="{self.lower}" y2="{self.lower}" stroke="{INK}"/>'
        )
        every = max(1, math.ceil(len(labels) / MAX_X_LABELS))
        for i, label in enumerate(labels):
            if i % every == 0 or (self.band and len(labels) <= 24):
                parts.append(
                    f'<text x="{self.x(i):.1f}" y="{self.lower + 20}" text-anchor="middle" fill="{MUTED}">'
                    f"{escape(label)}</text>"
                )
        return parts


def _svg(title: str, parts: list[str], rtl: bool, width: int = WIDTH) -> SafeString:
    return mark_safe(  # noqa: S308 — every text inside went through escape()
        f'<svg class="chart" role="img" aria-label="{escape(title)}" viewBox="0 0 {width} {HEIGHT}" '
        f'xmlns="http://www.w3.org/2000/svg" direction="{"rtl" if rtl else "ltr"}" font-size="13">'
        f"<title>{escape(title)}</title>{''.join(parts)}</svg>"
    )


def _marker(kind: str, x: float, y: float, colour: str) -> str:
    if kind == "square":
        return f'<rect x="{x - 3.5:.1f}" y="{y - 3.5:.1f}" width="7" height="7" fill="{colour}"/>'
    return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3.5" fill="{colour}"/>'


def line_chart(*, title: str, labels: list[str], series: list[Series], rtl: bool) -> Chart:
    """Several series over the same points (days, weeks or months), one line each."""
    top = nice_ceiling(max((v for s in series for v in s.values), default=0))
    canvas = _Canvas(points=len(labels), top=top, rtl=rtl, band=False)
    parts = canvas.axes(labels)
    for i, one in enumerate(series):
        style = STYLES[i % len(STYLES)]
        points = [(canvas.x(j), canvas.y(v)) for j, v in enumerate(one.values)]
        if not points:
            continue
        dash = f' stroke-dasharray="{style["dash"]}"' if style["dash"] else ""
        parts.append(
            f'<polyline fill="none" stroke="{style["colour"]}" stroke-width="3"{dash} '
            f'stroke-linejoin="round" points="{" ".join(f"{x:.1f},{y:.1f}" for x, y in points)}"/>'
        )
        if len(points) <= 62:
            parts.extend(_marker(style["marker"], x, y, style["colour"]) for x, y in points)
    return Chart(title=title, labels=labels, series=series, svg=_svg(title, parts, rtl))


def column_chart(*, title: str, labels: list[str], series: Series, rtl: bool, width: int = 560) -> Chart:
    """One value per label (hours of the day …), as columns with their value written on top; narrower
    than a trend, to sit beside a table."""
    top = nice_ceiling(max(series.values, default=0))
    canvas = _Canvas(points=len(labels), top=top, rtl=rtl, band=True, width=width)
    parts = canvas.axes(labels)
    bar = canvas.step * 0.6
    colour = STYLES[0]["colour"]
    for j, value in enumerate(series.values):
        x, y = canvas.x(j), canvas.y(value)
        parts.append(
            f'<rect x="{x - bar / 2:.1f}" y="{y:.1f}" width="{bar:.1f}" '
            f'height="{canvas.lower - y:.1f}" fill="{colour}"/>'
        )
        if value:
            parts.append(
                f'<text x="{x:.1f}" y="{y - 5:.1f}" text-anchor="middle" fill="{INK}" font-weight="700">'
                f"{_number(value)}</text>"
            )
    return Chart(title=title, labels=labels, series=[series], svg=_svg(title, parts, rtl, width))
