"""How a hall screen learns, within a second, that a ticket was called.

Every change of a center's hall raises the center's ``HallBoard.version`` in the change's own
transaction: the version in the database is the truth, so a screen that compares versions never
misses a change, whichever web server or worker made it. After the commit, a doorbell rings on Redis
pub/sub (``HALL_BELL_URL``) so that the streams waiting on that center look at once instead of at
their next poll. Without Redis (the embedded demo) the streams poll the version four times a second;
with it they still poll once a second, so a lost ring or a Redis restart costs a second, not a call.
"""

import contextlib
import logging
import time
from functools import lru_cache

import redis
from django.conf import settings
from django.db import transaction
from django.db.models import F

from hall.models import HallBoard

logger = logging.getLogger(__name__)

POLL_WITH_BELL = 1.0
POLL_WITHOUT_BELL = 0.25


def _channel(center_id: int) -> str:
    return f"hall:board:{center_id}"


def board_changed(*, center_id: int) -> None:
    """Inside the change's transaction: raise the version; ring once the change is committed."""
    HallBoard.objects.bulk_create([HallBoard(center_id=center_id)], ignore_conflicts=True)
    HallBoard.objects.filter(center_id=center_id).update(version=F("version") + 1)
    transaction.on_commit(lambda: ring(center_id=center_id))


def board_version(*, center_id: int) -> int:
    return HallBoard.objects.filter(center_id=center_id).values_list("version", flat=True).first() or 0


def _client() -> redis.Redis | None:
    url = settings.HALL_BELL_URL
    return _client_for(url) if url else None


@lru_cache(maxsize=2)
def _client_for(url: str) -> redis.Redis:
    """One client (and connection pool) per process: a stream's subscription takes a connection of the
    pool and gives it back when the stream ends."""
    return redis.Redis.from_url(url, socket_timeout=5, socket_connect_timeout=2, health_check_interval=30)


def ring(*, center_id: int) -> None:
    client = _client()
    if client is None:
        return
    try:
        client.publish(_channel(center_id), "1")
    except redis.RedisError:  # the screens' own poll still sees the change within a second
        logger.warning("Hall doorbell of center %s did not ring", center_id, exc_info=True)


class Doorbell:
    """What a stream waits on between two looks at the version."""

    def __init__(self, *, center_id: int):
        self._pubsub = None
        client = _client()
        if client is not None:
            try:
                self._pubsub = client.pubsub(ignore_subscribe_messages=True)
                self._pubsub.subscribe(_channel(center_id))
            except redis.RedisError:
                logger.warning("Hall doorbell unavailable; the screen of %s polls", center_id, exc_info=True)
                self._pubsub = None

    @property
    def poll_seconds(self) -> float:
        return POLL_WITH_BELL if self._pubsub is not None else POLL_WITHOUT_BELL

    def wait(self) -> None:
        """Until the bell rings or the poll interval has passed."""
        if self._pubsub is None:
            time.sleep(self.poll_seconds)
            return
        deadline = time.monotonic() + self.poll_seconds
        try:
            while (left := deadline - time.monotonic()) > 0:
                if self._pubsub.get_message(timeout=left) is not None:
                    return
        except redis.RedisError:
            logger.warning("Hall doorbell lost; polling", exc_info=True)
            self.close()

    def close(self) -> None:
        if self._pubsub is not None:
            with contextlib.suppress(redis.RedisError):
                self._pubsub.close()
            self._pubsub = None
