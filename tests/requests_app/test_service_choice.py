"""Choosing the service at the window (issue 12, defect 1): an exact name wins over names that merely
contain its words, and suggestions come exact first, then prefix, then word matches, with this
center's most used services first within each."""

import pytest
from django.core.cache import cache
from django.urls import reverse

from tests.requests_app.factories import submit
from tests.services.factories import ServiceFactory

pytestmark = pytest.mark.django_db

NEW_PERMIT = "ترخيص بناء جديد"
RENEWAL = "تجديد ترخيص بناء"  # contains every word of NEW_PERMIT once folded


@pytest.fixture
def permits(org):
    return {
        "new": ServiceFactory(code="BLD-NEW", name_ar=NEW_PERMIT, name_en="New building permit"),
        "renewal": ServiceFactory(code="BLD-RENEW", name_ar=RENEWAL, name_en="Building permit renewal"),
        "prefix": ServiceFactory(code="BLD-NEWX", name_ar=f"{NEW_PERMIT} بالقرى", name_en="Village permit"),
        "other": ServiceFactory(code="SHOP", name_ar="ترخيص محل", name_en="Shop licence"),
    }


def test_the_exact_arabic_name_is_taken_though_another_name_holds_every_word(client, org, clerk, permits):
    client.force_login(clerk)
    response = client.post(
        reverse("window:home", args=["BNH"]), {"national_id": "29001011401234", "service": NEW_PERMIT}
    )
    assert response.status_code == 302
    assert response.url.startswith(reverse("window:intake", args=["BNH", "BLD-NEW"]))


def test_an_exact_name_wins_after_folding_hamza_and_taa_marbuta(client, org, clerk, permits):
    client.force_login(clerk)
    response = client.post(
        reverse("window:home", args=["BNH"]),
        {"national_id": "29001011401234", "service": "  ترخيص  بناء جديد "},
    )
    assert response.url.startswith(reverse("window:intake", args=["BNH", "BLD-NEW"]))


def test_words_matching_several_services_are_refused_with_a_message(client, org, clerk, permits):
    client.force_login(clerk)
    response = client.post(
        reverse("window:home", args=["BNH"]), {"national_id": "29001011401234", "service": "ترخيص بناء"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["service"]


def suggestions(client, query):
    response = client.get(reverse("window:service_options", args=["BNH"]), {"q": query})
    return [service["code"] for service in response.json()["services"]]


def test_suggestions_rank_exact_then_prefix_then_words(client, org, clerk, permits):
    client.force_login(clerk)
    assert suggestions(client, NEW_PERMIT) == ["BLD-NEW", "BLD-NEWX", "BLD-RENEW"]
    assert suggestions(client, "ترخيص") == ["BLD-NEW", "BLD-NEWX", "SHOP", "BLD-RENEW"]


def test_the_centers_most_used_services_come_first_within_a_rank(client, org, clerk, permits):
    for n in range(2):
        submit(permits["other"], org.bnh, clerk, national_id=f"2900101140{n:02d}34")
    cache.clear()
    client.force_login(clerk)
    # Prefix matches, the shop licence (taken twice here) before the permits taken never.
    assert suggestions(client, "ترخيص") == ["SHOP", "BLD-NEW", "BLD-NEWX", "BLD-RENEW"]
