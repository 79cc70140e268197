"""Dates and countries typed into the counterparty forms and API as people write them."""

import pytest
from django.urls import reverse

from accounts.roles import Role
from reviews.counterparties.models import Counterparty
from tests.factories import MatterFactory, UserFactory, grant

pytestmark = pytest.mark.django_db


@pytest.fixture
def lawyer(client):
    user = UserFactory(role=Role.LAWYER)
    client.force_login(user)
    return user


@pytest.fixture
def matter(lawyer):
    matter = MatterFactory()
    grant(lawyer, matter, "view_matter")
    grant(lawyer, matter, "change_matter")
    return matter


def test_the_page_form_takes_a_japanese_date_and_country_and_stores_iso_forms(client, lawyer, matter):
    created = client.post(reverse("counterparties:list"), {"matter": matter.pk, "name": "Xanana Example",
                                                           "kind": "person", "date": "1969年7月16日",
                                                           "country": "東ティモール"})  # fmt: skip
    counterparty = Counterparty.objects.get()
    assert created.url == counterparty.get_absolute_url()
    assert (counterparty.date, counterparty.country) == ("1969-07-16", "TL")

    client.post(counterparty.get_absolute_url(), {
        "add_person": "1", "name": "Jane Roe", "role": "director", "date_of_birth": "July 16, 1969",
        "nationality": "Brunei",
    })  # fmt: skip
    person = counterparty.related_people.get()
    assert (person.date_of_birth, person.nationality) == ("1969-07-16", "BN")


def test_the_api_takes_written_dates_and_country_names(client, lawyer, matter):
    response = client.post(reverse("counterparty-list"), {
        "matter": matter.pk, "name": "Jan Novak", "kind": "person", "date": "16 July 1969", "country": "イギリス",
    }, content_type="application/json")  # fmt: skip
    assert response.status_code == 201, response.content
    assert (response.json()["date"], response.json()["country"]) == ("1969-07-16", "GB")

    person = client.post(reverse("counterparty-related-people", args=[response.json()["id"]]), {
        "name": "Jane Roe", "role": "owner", "date_of_birth": "１９６９年７月", "nationality": "East Timor",
    }, content_type="application/json")  # fmt: skip
    assert person.status_code == 201, person.content
    assert (person.json()["date_of_birth"], person.json()["nationality"]) == ("1969-07", "TL")


@pytest.mark.parametrize(
    ("language", "date", "message"),
    [
        ("en", "1969-02-30", "“1969-02-30” does not exist in the calendar."),
        ("ja", "1969-02-30", "「1969-02-30」という日付は暦にありません。"),
        ("en", "19x1", "“19x1” is not a date: write it as 1969, 1969-07-16, 16 July 1969 or 1969年7月16日."),
        ("ja", "19x1", "「19x1」は日付として読めません。1969、1969-07-16、16 July 1969、1969年7月16日のように書いてください。"),
    ],
)
def test_an_unreadable_date_is_a_form_error_in_the_users_language(client, lawyer, matter, language, date, message):
    page = client.post(reverse("counterparties:list"), {"matter": matter.pk, "name": "X", "kind": "person",
                                                        "date": date}, HTTP_ACCEPT_LANGUAGE=language)  # fmt: skip
    assert message in page.content.decode()
    assert not Counterparty.objects.exists()


@pytest.mark.parametrize(("field", "value"), [("date", "1969-02-30"), ("date", "July 1969x"), ("country", "Atlantis")])
def test_an_unreadable_date_or_country_is_a_400_in_the_api(client, lawyer, matter, field, value):
    bad = client.post(reverse("counterparty-list"), {"matter": matter.pk, "name": "X", "kind": "person", field: value},
                      content_type="application/json")  # fmt: skip
    assert bad.status_code == 400 and list(bad.json()) == [field]
    assert not Counterparty.objects.exists()
