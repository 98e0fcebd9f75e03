"""The citizen's status page is rendered once per version of what it shows and served from the cache
(core.pagecache): it must change on the very next request after anything it shows changes."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from requests_app.services import service_request_forward
from requests_app.services.workflow import service_request_reveal_identity
from tests.accounts.factories import staff
from tests.requests_app.factories import submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def taken(service, org, clerk):
    return submit(service, org.bnh, clerk)


def page(client, request, **headers):
    response = client.get(reverse("track:status", args=[request.tracking_token]), **headers)
    assert response.status_code in (200, 304)
    return response


def test_a_transition_shows_on_the_next_request(client, taken, org, django_assert_num_queries):
    assert "الإدارة الهندسية" in page(client, taken).content.decode()
    with django_assert_num_queries(1):
        page(client, taken)  # from the cache
    service_request_forward(request_id=taken.pk, actor=staff(Role.BACKOFFICE, department=org.bnh_eng))
    html = page(client, taken).content.decode()
    assert "المرحلة 2 من 2" in html and "الشئون القانونية" in html
    assert "انتهت الدراسة في الإدارة الهندسية" in html


def test_the_deadline_passing_shows_without_any_transition(client, taken):
    assert "في الموعد" in page(client, taken).content.decode()
    type(taken).objects.filter(pk=taken.pk).update(due_at=timezone.now() - timedelta(minutes=1))
    assert "متأخر" in page(client, taken).content.decode()


def test_the_sms_choice_shows_on_the_next_request(client, taken):
    assert 'value="stop"' in page(client, taken).content.decode()
    client.post(reverse("track:sms", args=[taken.tracking_token]), {"sms": "stop"}, follow=True)
    client.cookies.pop("messages", None)
    assert 'value="resume"' in page(client, taken).content.decode()


def test_each_language_has_its_own_page(client, taken):
    assert 'lang="ar"' in page(client, taken).content.decode()
    client.cookies["django_language"] = "en"
    html = page(client, taken).content.decode()
    assert 'lang="en"' in html and "Request status" in html


def test_the_etag_answers_a_conditional_get_with_304_until_the_page_changes(client, taken, org):
    etag = page(client, taken)["ETag"]
    assert page(client, taken, HTTP_IF_NONE_MATCH=etag).status_code == 304
    service_request_forward(request_id=taken.pk, actor=staff(Role.BACKOFFICE, department=org.bnh_eng))
    fresh = page(client, taken, HTTP_IF_NONE_MATCH=etag)
    assert fresh.status_code == 200 and fresh["ETag"] != etag


def test_the_shared_page_holds_no_csrf_token_and_sets_no_cookie(client, taken):
    response = page(client, taken)
    assert "csrfmiddlewaretoken" not in response.content.decode()
    assert not response.cookies
    assert "no-store" in response["Cache-Control"]  # personal data: no browser or proxy keeps it


def test_a_signed_in_visitor_gets_a_page_of_their_own(client, taken, clerk):
    page(client, taken)  # the anonymous page is in the cache
    client.force_login(clerk)
    html = page(client, taken).content.decode()
    assert str(clerk) in html  # their own header, not the shared anonymous one


def test_the_lookup_by_receipt_serves_the_same_cached_status(client, taken, django_assert_num_queries):
    data = {"receipt_number": taken.receipt_number, "national_id_last4": "1234"}
    first = client.post(reverse("track:lookup"), data)
    assert first.status_code == 200 and taken.receipt_number in first.content.decode()
    with django_assert_num_queries(1):
        again = client.post(reverse("track:lookup"), data)
    assert again.content == first.content


def test_back_office_records_never_reach_the_citizens_history(client, taken, org):
    """Showing the national ID in full is recorded in the history, for the back office only."""
    service_request_reveal_identity(request_id=taken.pk, actor=staff(Role.BACKOFFICE, department=org.bnh_eng))
    html = page(client, taken).content.decode()
    assert "الرقم القومي" not in html


def test_the_title_is_plain_text_in_both_languages(client, taken):
    for language in ("ar", "en"):
        client.cookies["django_language"] = language
        title = page(client, taken).content.decode().split("<title>")[1].split("</title>")[0]
        assert "<" not in title and ">" not in title
