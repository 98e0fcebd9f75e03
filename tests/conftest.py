import pytest
from django.conf import settings


def pytest_configure():
    engine = settings.DATABASES["default"]["ENGINE"]
    if engine != "django.db.backends.postgresql":
        raise pytest.UsageError(f"The test suite runs on PostgreSQL, not {engine}; set DATABASE_URL.")
    _claim_redis()


def _claim_redis() -> None:
    """Two runs on the same Redis databases disturb each other: every test empties the cache (another
    run's test then makes queries its pinned count does not expect) and the worker tests share a broker.
    The first run holds the databases; a second one stops at once with what to change, rather than
    failing some test by chance. A holder that died (same machine, process gone) is taken over."""
    import os
    import socket

    import redis

    me = f"{socket.gethostname()}:{os.getpid()}"
    held = redis.Redis.from_url(settings.CELERY_BROKER_URL)
    holder = held.set(RUN_CLAIM, me, nx=True, get=True)
    if holder is None or holder.decode() == me:
        return
    host, _, pid = holder.decode().partition(":")
    alive = host != socket.gethostname() or _is_pytest(pid)
    if alive:
        raise pytest.UsageError(
            f"Another test run ({holder.decode()}) is using the Redis databases of"
            f" {settings.CELERY_BROKER_URL} and {settings.CACHES['default']['LOCATION']};"
            " give this run others (CELERY_BROKER_URL, CACHE_URL) and its own DATABASE_URL."
        )
    held.set(RUN_CLAIM, me)


RUN_CLAIM = "tests:run"


def _is_pytest(pid: str) -> bool:
    """Whether process ``pid`` of this machine is a test run (not a process that took a dead run's id)."""
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as cmdline:
            return b"pytest" in cmdline.read()
    except OSError:
        return False


@pytest.fixture(scope="session", autouse=True)
def _leave_nothing_behind():
    """Tests keep their files under VAR_DIR (a temporary folder, never the checkout) and their broker
    and cache in Redis databases of their own: all of it goes when the run ends."""
    import shutil

    import redis

    yield
    for url in (settings.CELERY_BROKER_URL, settings.CACHES["default"]["LOCATION"]):
        if url.startswith("redis://"):
            redis.Redis.from_url(url).flushdb()
    if not str(settings.VAR_DIR).startswith(str(settings.BASE_DIR)):
        shutil.rmtree(settings.VAR_DIR, ignore_errors=True)


@pytest.fixture(autouse=True)
def _arabic_and_clean_cache(settings):
    """Every test starts in the default language with an empty cache (login throttling uses it)."""
    from django.core.cache import cache
    from django.utils import translation

    cache.clear()
    with translation.override(settings.LANGUAGE_CODE):
        yield


@pytest.fixture(autouse=True)
def _content_types_as_stored():
    """A transactional test's flush and the next one's serialized rollback give content types back
    under other ids; the process-wide ContentType cache (shared with the live server's thread) must not
    hand out the old ones (an escalation's subject type would point at nothing)."""
    from django.contrib.contenttypes.models import ContentType

    ContentType.objects.clear_cache()
    yield
    ContentType.objects.clear_cache()


@pytest.fixture
def org(db):
    """Two governorates, each with one local unit, its center and three departments (engineering,
    survey, legal), plus a mobile van in Qalyubia."""
    from types import SimpleNamespace

    from tests.organisation.factories import (
        CenterFactory,
        DepartmentFactory,
        DepartmentTypeFactory,
        GovernorateFactory,
        LocalUnitFactory,
        MobileCenterFactory,
    )

    eng = DepartmentTypeFactory(code="ENG", name_ar="الإدارة الهندسية", name_en="Engineering")
    legal = DepartmentTypeFactory(code="LEGAL", name_ar="الشئون القانونية", name_en="Legal affairs")
    survey = DepartmentTypeFactory(code="SURV", name_ar="إدارة المساحة", name_en="Survey")
    qlb = GovernorateFactory(code="QLB", name_ar="محافظة القليوبية", name_en="Qalyubia")
    cai = GovernorateFactory(code="CAI", name_ar="محافظة القاهرة", name_en="Cairo")
    bnh = CenterFactory(local_unit=LocalUnitFactory(governorate=qlb, code="BNH", name_ar="مركز ومدينة بنها"))
    hlp = CenterFactory(local_unit=LocalUnitFactory(governorate=cai, code="HLP", name_ar="حي مصر الجديدة"))
    return SimpleNamespace(
        qlb=qlb,
        cai=cai,
        bnh=bnh,
        hlp=hlp,
        van=MobileCenterFactory(governorate=qlb, code="QLBM1"),
        bnh_eng=DepartmentFactory(local_unit=bnh.local_unit, department_type=eng),
        bnh_legal=DepartmentFactory(local_unit=bnh.local_unit, department_type=legal),
        bnh_surv=DepartmentFactory(local_unit=bnh.local_unit, department_type=survey),
        hlp_eng=DepartmentFactory(local_unit=hlp.local_unit, department_type=eng),
        hlp_legal=DepartmentFactory(local_unit=hlp.local_unit, department_type=legal),
        hlp_surv=DepartmentFactory(local_unit=hlp.local_unit, department_type=survey),
    )


class EmbeddedDemo:
    """The demo on its embedded SQLite (migrated and seeded as ``scripts/demo`` does), run through
    ``manage.py`` in processes of its own with no server: made once per run, each test on a copy."""

    def __init__(self, database):
        self.database = database

    def copy(self, folder):
        import shutil

        copied = folder / "demo.sqlite3"
        shutil.copyfile(self.database, copied)
        return EmbeddedDemo(copied)

    @property
    def env(self) -> dict:
        import os

        env = {
            k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "CELERY_BROKER_URL", "CACHE_URL"}
        }
        env.update(
            APP_ENV="development",
            DATABASE_URL=f"sqlite:///{self.database}",
            SMS_BACKEND="notifications.backends.LocmemBackend",
        )
        return env

    def manage(self, *command: str) -> str:
        """Runs ``manage.py <command>`` on this database; fails the test on an error; its output."""
        import subprocess
        import sys

        result = subprocess.run(
            [sys.executable, "manage.py", *command],
            cwd=settings.BASE_DIR,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert result.returncode == 0, result.stderr[-3000:]
        return result.stdout


@pytest.fixture(scope="session")
def _embedded_demo_made(tmp_path_factory):
    demo = EmbeddedDemo(tmp_path_factory.mktemp("embedded-demo") / "demo.sqlite3")
    demo.manage("migrate", "-v0")
    demo.manage("seed_demo")
    return demo


@pytest.fixture
def embedded_demo(_embedded_demo_made, tmp_path) -> EmbeddedDemo:
    """A copy of the seeded embedded demo of its own for one test."""
    return _embedded_demo_made.copy(tmp_path)
