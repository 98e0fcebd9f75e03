"""The offline verifier against a real server: it fetches the keys and the revocation list over HTTP,
then decides alone.

How fresh the list must be: a revocation is in every list the server publishes from the moment it is
committed (the list is signed anew), so an offline verifier detects it with any list fetched after the
revocation; a list says itself until when it may be relied on (DOCUMENT_STATUS_MAX_AGE after it was
published, a day by default), and past that the verifier no longer says "valid" but "revocation not
checked" — so a revocation reaches every offline verifier that keeps its list fresh within a day."""

from datetime import UTC, datetime, timedelta

import pytest
from django.conf import settings

from documents import codec, offline
from documents.selectors import document_qr_text
from documents.services import document_revoke

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_revocation_is_detected_offline_with_a_list_fetched_after_it(live_server, issue, manager, tmp_path):
    permit = issue()
    qr = document_qr_text(document=permit)
    before = tmp_path / "before"
    assert offline.fetch(live_server.url, before) == ["keys.json", "status-0.cose"]
    fetched_at = permit.issued_at + timedelta(minutes=1)
    assert offline.verify(qr, before, now=fetched_at)[0] == codec.Verdict.VALID

    document_revoke(document_id=permit.pk, actor=manager, reason="fraud", note="قرار رقم 3")
    after = tmp_path / "after"
    offline.fetch(live_server.url, after)
    assert offline.verify(qr, after, now=fetched_at + timedelta(minutes=5))[0] == codec.Verdict.REVOKED
    # The list fetched before the revocation cannot know of it, and only holds for its stated time:
    assert offline.verify(qr, before, now=fetched_at + timedelta(hours=1))[0] == codec.Verdict.VALID
    too_late = fetched_at + timedelta(seconds=settings.DOCUMENT_STATUS_MAX_AGE + 60)
    assert offline.verify(qr, before, now=too_late)[0] == codec.Verdict.STATUS_UNKNOWN


def test_without_a_list_the_verifier_says_it_could_not_check(live_server, issue, tmp_path):
    permit = issue()
    offline.fetch(live_server.url, tmp_path)
    (tmp_path / "status-0.cose").unlink()
    verdict, facts = offline.verify(document_qr_text(document=permit), tmp_path, now=permit.issued_at)
    assert verdict == codec.Verdict.STATUS_UNKNOWN and facts["number"] == permit.number


def test_a_list_not_signed_by_a_published_key_is_not_cached(live_server, issue, tmp_path, monkeypatch):
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    issue()
    stranger = Ed25519PrivateKey.generate()
    real_get = offline._get

    def forged_lists(url):
        if "/status/0.cose" in url:
            now = datetime.now(UTC)
            return codec.status_list_sign(stranger, codec.StatusList(0, now, now + timedelta(days=1), b""))
        return real_get(url)

    monkeypatch.setattr(offline, "_get", forged_lists)
    with pytest.raises(codec.Rejected):
        offline.fetch(live_server.url, tmp_path)
    assert not (tmp_path / "status-0.cose").exists()
