"""The period's figures of a dashboard, rendered once and kept for a few minutes.

**Why.** A dashboard's period figures (the headline KPIs beside the period before and last year, the
trend, the ranking, the slowest services, the time per step, the other work) are read from the roll-ups,
which cost what centers × services × days cost — but still some forty statements and as much Python as
SQL to lay them out: about a tenth of a second for a center at ten million requests. The people who read
them reload the page, come back from a drill-down, change the language; a figure over thirty days does not
need to be newer than a couple of minutes. So the part of the page that shows the period is kept as
rendered, for ``DASHBOARD_FIGURES_SECONDS``, and says "as of" the moment it was counted. What must be live
stays live and is never kept: a center's intake and cash today, the escalations waiting now, the lists
behind a figure; the open requests are their own five-minute count (``reports.backlog``).

**The key** names everything the kept HTML shows: the page and its query (place, period, trend), the
viewer and the roles and places they hold (two viewers never share a kept page, and a changed assignment
is a new key), the language, the open requests' count it holds, and the time slot — whole periods of
``DASHBOARD_FIGURES_SECONDS`` — so nothing is older than that, whoever counted it; ``forget_kept_figures``
(after the roll-ups are rebuilt) drops every kept page at once. A table downloaded from the page is counted
when it is asked for (``TableDownloadMixin``), never read from the kept HTML.
"""

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone
from django.utils.translation import get_language

from accounts.models import User
from core.pagecache import page_generation, page_generation_bump

PREFIX = "dashboard-figures:"
GENERATION = "dashboard-figures"
# Query parameters that do not change the kept part: a table's download, a drill-down's page.
NOT_SHOWN = ("table", "format", "page")


def viewer_key(user: User) -> str:
    """The viewer and what they hold: a changed role or place gives other figures."""
    held = sorted(
        (a.pk, a.role, a.governorate_id, a.local_unit_id, a.center_id, a.department_id)
        for a in user.active_assignments
    )
    return f"{user.pk}:{held}"


@dataclass(frozen=True)
class KeptFigures:
    """The period part of one page for one viewer: ``compute`` gives its context when it is not kept."""

    key: str
    compute: Callable[[], dict]
    seconds: int

    @property
    def minutes(self) -> int:
        return max(1, round(self.seconds / 60))

    def html(self, render: Callable[[dict], str]) -> str:
        kept = cache.get(self.key)
        if kept is not None:
            return kept
        values = {**self.compute(), "figures_as_of": timezone.now()}
        rendered = render(values)
        cache.set(self.key, rendered, timeout=self.seconds)
        return rendered


def kept_figures(
    *, page: str, user: User, query: dict, counted_at: datetime | None, compute: Callable[[], dict]
) -> KeptFigures | None:
    """The period part of ``page`` as ``user`` sees it for ``query`` (the request's GET), holding the open
    requests' count taken at ``counted_at``; None when nothing is kept (``DASHBOARD_FIGURES_SECONDS`` is
    0: the page counts its figures at every view and says they are live)."""
    seconds = settings.DASHBOARD_FIGURES_SECONDS
    if seconds <= 0:
        return None
    slot = int(timezone.now().timestamp() // seconds)
    shown = sorted((k, v) for k, v in query.items() if k not in NOT_SHOWN)
    counted = counted_at.isoformat() if counted_at else ""
    raw = "\x1f".join(
        [page, viewer_key(user), get_language(), repr(shown), counted, str(slot), page_generation(GENERATION)]
    )
    return KeptFigures(PREFIX + hashlib.blake2b(raw.encode(), digest_size=16).hexdigest(), compute, seconds)


def forget_kept_figures() -> None:
    """Every kept period part is counted again at its next view (the roll-ups were rebuilt)."""
    page_generation_bump(GENERATION)
