"""What the entry page keeps in the cache: an opened page's sections, its period and unit; never stale, never another's."""

import re
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.urls import reverse

from reporting.models import ReportingPeriod
from reporting.submissions import sections, views

from .. import conftest
from .helpers import save

pytestmark = pytest.mark.django_db


def url(city, key="ben_nghe"):
    return reverse("entry", args=[2024, 4, city[key].pk])


def page(client, city, key="ben_nghe"):
    html = client.get(url(city, key)).content.decode()
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)


@pytest.fixture
def officer(client, people):
    client.login(username="ward_officer", password=conftest.PASSWORD)
    return client


def test_an_opened_page_shows_from_the_cache_what_it_showed_when_built(officer, city, month):
    assert page(officer, city) == page(officer, city)


def test_a_saved_value_shows_at_once_on_the_cached_page(officer, people, city, month):
    page(officer, city)
    save(people["ward_officer"], city, month, {"ind.NEWS_PRESS": Decimal(4321)})
    assert 'value="4.321"' in page(officer, city)


def test_a_period_edited_in_the_catalog_shows_its_new_deadline(officer, city, month):
    page(officer, city)
    period = ReportingPeriod.objects.get(year=2024, month=4)
    period.deadline = period.deadline.replace(day=28)
    period.save()
    assert period.deadline.strftime("%d/%m/%Y") in page(officer, city)


def test_a_unit_another_user_opened_is_still_out_of_scope(client, people, city, month):
    client.login(username="ward_officer", password=conftest.PASSWORD)
    assert client.get(url(city)).status_code == 200
    assert client.get(url(city, "ben_thanh")).status_code == 404
    client.login(username="district_officer", password=conftest.PASSWORD)
    assert client.get(url(city)).status_code == 200       # the district reads its wards
    client.login(username="ward_officer", password=conftest.PASSWORD)
    assert client.get(url(city, "ben_thanh")).status_code == 404


def test_a_page_opened_again_is_served_without_building_its_form(officer, city, month, monkeypatch):
    first = page(officer, city)

    def no_form(*args, **kwargs):
        raise AssertionError("the form was built again")

    monkeypatch.setattr(views, "EntryForm", no_form)
    assert page(officer, city) == first


def test_the_sections_are_kept_compressed():
    html = "<fieldset>" + "<input name='dvc.DVC22.received' value='1.250'>" * 200 + "</fieldset>"
    sections.keep("entry-sections:test", html)
    assert len(cache.get("entry-sections:test")) < len(html) / 10
    assert sections.cached("entry-sections:test") == html and sections.cached("entry-sections:other") is None
