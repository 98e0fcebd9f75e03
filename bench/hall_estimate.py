"""Benchmark: the hall's waiting-time estimate against the real waits of simulated days.

Run on demand, never in CI:  .venv/bin/python bench/hall_estimate.py [--days 5] [--seed 1]

It uses the benchmark database of data.py (migrated, nothing else needed) and leaves it as it was: in
one transaction rolled back at the end, a center of its own gets the hall of
hall.simulation.standard_hall and four clerks, then lives consecutive working days (Sunday to
Thursday, each day its own seed; a morning's estimates start from the previous days' service times).
Printed per day and over all days, in minutes: the tickets called, those issued while no window of
their queue was open (no estimate printed; left out of the figures), the mean real wait, the
estimate's mean / median / 90th-percentile absolute error, its bias (+ promised too long), the shares
within ±5 minutes and ±25 %, and the mean absolute error of two constants: 6 minutes per ticket ahead,
and the best constant per ticket ahead chosen afterwards from the day's real waits (no sign could know
it in the morning)."""

import argparse
import sys
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from data import setup_django  # noqa: E402

setup_django()

from django.core.management import call_command  # noqa: E402
from django.db import transaction  # noqa: E402

FIRST_DAY = date(2026, 12, 6)  # a Sunday


def working_days(count: int) -> list[date]:
    from organisation.calendar import WEEKEND

    days, day = [], FIRST_DAY
    while len(days) < count:
        if day.weekday() not in WEEKEND:
            days.append(day)
        day += timedelta(days=1)
    return days


def best_constant(pairs: list[tuple[int, float]]) -> tuple[float, float]:
    """The minutes per ticket ahead with the least mean absolute error over (ahead, actual) pairs, and
    that error (a search by tenths of a minute is finer than any sign would print)."""
    return min(
        (
            (k / 10, sum(abs(k / 10 * ahead - actual) for ahead, actual in pairs) / len(pairs))
            for k in range(301)
        ),
        key=lambda found: found[1],
    )


HEADER = (
    f"{'day':<12}{'tickets':>8}{'no est.':>8}{'wait':>7}{'MAE':>7}{'median':>7}{'p90':>7}{'bias':>7}"
    f"{'±5 min':>8}{'±25 %':>7}{'6/ahead':>9}{'best const.':>14}"
)


def row(label: str, called: list) -> str:
    from hall.simulation import BASELINE_MINUTES, accuracy

    waited = [w for w in called if w.estimate is not None]
    figures = accuracy([(w.estimate, w.actual) for w in waited])
    constant = accuracy([(BASELINE_MINUTES * w.ahead, w.actual) for w in waited])
    k, best = best_constant([(w.ahead, w.actual) for w in waited])
    return (
        f"{label:<12}{len(called):>8}{len(called) - len(waited):>8}"
        f"{figures.mean_wait:>7.1f}{figures.mae:>7.1f}{figures.median_abs:>7.1f}{figures.p90_abs:>7.1f}{figures.bias:>+7.1f}{figures.within_5:>8.0%}"
        f"{figures.within_25pct:>7.0%}{constant.mae:>9.1f}{best:>8.1f} ({k:.1f})"
    )


def build_center():
    from accounts.models import Role, RoleAssignment, User
    from organisation.models import Center, Governorate, LocalUnit

    governorate = Governorate.objects.create(code="HALLSIM", name_ar="محافظة المحاكاة")
    unit = LocalUnit.objects.create(
        governorate=governorate, code="HALLSIM", kind=LocalUnit.Kind.CITY, name_ar="مركز المحاكاة"
    )
    center = Center.objects.create(
        code="HALLSIM",
        governorate=governorate,
        local_unit=unit,
        name_ar="مركز المحاكاة",
        short_name_ar="محاكاة",
    )
    clerks = []
    for n in range(1, 5):
        clerk = User.objects.create(username=f"hallsim.clerk{n}", full_name=f"موظف المحاكاة {n}")
        RoleAssignment.objects.create(user=clerk, role=Role.CLERK, center=center)
        clerks.append(clerk)
    return center, clerks


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--days", type=int, default=5)
    parser.add_argument("--seed", type=int, default=1, help="the first day's seed; the next days count on")
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    from hall.simulation import simulate_day, standard_hall

    class Rollback(Exception):
        pass

    began = time.perf_counter()
    every = []
    print(HEADER)
    try:
        with transaction.atomic():
            center, clerks = build_center()
            kiosk, by_window, loads = standard_hall(center=center, clerks=clerks)
            for n, day in enumerate(working_days(args.days)):
                result = simulate_day(
                    center=center,
                    kiosk=kiosk,
                    clerks_by_window=by_window,
                    queues=loads,
                    seed=args.seed + n,
                    day=day,
                )
                print(row(f"{day:%a %d %b}", result.waited))
                every += result.waited
            raise Rollback
    except Rollback:
        pass
    print(row("all days", every))
    for load in loads:
        letter = load.queue.letter
        print(row(f"  queue {letter}", [w for w in every if w.letter == letter]))
    print(f"({args.days} simulated days in {time.perf_counter() - began:.0f} s; the database is as it was)")


if __name__ == "__main__":
    main()
