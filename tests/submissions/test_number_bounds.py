"""A count holds at most 999.999.999.999.999, however it arrives: what every database we run on stores exactly.

The form, the unit's template and PC06's history workbook all refuse a larger
number with the same Vietnamese words, before anything is staged; the largest
number they accept is stored as typed when the import is confirmed.
"""

from decimal import Decimal

import pytest
from django.urls import reverse

from reporting.excel import unit_template
from reporting.models import DataValue, ImportBatch
from reporting.submissions import rules

from .. import conftest
from ..excel.helpers import database_state, download, fill, upload, upload_url
from ..excel.test_history_import import URL as HISTORY_URL
from ..excel.test_history_import import row as history_row
from ..excel.test_history_import import workbook as history_workbook
from .helpers import form_data

pytestmark = pytest.mark.django_db

TOO_LARGE = "Số quá lớn (tối đa 999.999.999.999.999)."
LARGEST = 999_999_999_999_999


def test_the_bound_fits_the_column_and_a_double():
    field = DataValue._meta.get_field("number")
    assert rules.MAX_NUMBER == LARGEST < Decimal(10) ** (field.max_digits - field.decimal_places)
    assert LARGEST < 2 ** 53 and float(LARGEST) == LARGEST    # SQLite keeps a decimal as a double


@pytest.mark.parametrize("raw", ["1.000.000.000.000.000", "99999999999999999999999", 10 ** 16, 1e15, float("inf"),
                                 Decimal("Infinity"), 10 ** 5000, "9" * 5000],
                         ids=["vietnamese", "plain", "int", "float", "inf", "Infinity", "int-5000", "text-5000"])
def test_a_count_beyond_the_column_is_refused(raw):
    with pytest.raises(rules.ValidationError) as refused:
        rules.parse_count(raw)
    assert refused.value.messages == [TOO_LARGE]


@pytest.mark.parametrize("raw", [float("nan"), Decimal("NaN"), Decimal("sNaN")])
def test_not_a_number_is_refused(raw):
    with pytest.raises(rules.ValidationError, match="không phải là số"):
        rules.parse_count(raw)


def test_the_largest_count_is_accepted():
    assert rules.parse_count("999.999.999.999.999") == rules.parse_count(LARGEST) == Decimal(LARGEST)


@pytest.fixture
def officer(client, people):
    client.login(username="ward_officer", password=conftest.PASSWORD)
    return client


def test_the_form_refuses_it_beside_the_field_and_keeps_what_was_typed(officer, city, month):
    entry = reverse("entry", args=[2024, 4, city["ben_nghe"].pk])
    response = officer.post(entry, form_data(month, ind__NEWS_PRESS="10.000.000.000.000.000"))
    assert response.status_code == 200
    html = response.content.decode()
    assert TOO_LARGE in html
    assert 'value="10.000.000.000.000.000"' in html and 'value="7.856.474"' in html
    assert not DataValue.objects.filter(key="ind.NEWS_PRESS").exists()   # the other cells were saved

    data = form_data(month, version=1, ind__NEWS_PRESS="999.999.999.999.999")
    assert officer.post(entry, data).status_code == 302
    assert DataValue.objects.get(key="ind.NEWS_PRESS").number == LARGEST


def test_the_template_refuses_it_in_the_preview(officer, city, month):
    before = database_state()
    response = upload(officer, upload_url(city), fill(download(officer, city), {"ind.NEWS_PRESS": 10 ** 15}))
    assert response.status_code == 422
    assert TOO_LARGE in response.content.decode() and f"F ({unit_template.COLUMNS[5]})" in response.content.decode()
    assert database_state() == before


def test_the_templates_largest_number_is_stored_when_confirmed(officer, city, month):
    response = upload(officer, upload_url(city), fill(download(officer, city), {"ind.NEWS_PRESS": LARGEST}))
    officer.post(reverse("import_confirm", args=[ImportBatch.objects.get().pk]))
    assert response.status_code == 302
    assert DataValue.objects.get(key="ind.NEWS_PRESS").number == LARGEST


@pytest.fixture
def pc06(client, people):
    client.login(username="compiler", password=conftest.PASSWORD)
    return client


def test_the_history_workbook_refuses_it_in_the_preview(pc06, city, month):
    before = database_state()
    content = history_workbook([history_row("Q01-BNG", 3, "ind.NEWS_PRESS", 10 ** 15),
                                history_row("Q01-BNG", 3, "ind.EID_ACTIVATED", "10.000.000.000.000.000")])
    response = upload(pc06, HISTORY_URL, content)
    assert response.status_code == 422
    assert response.content.decode().count(TOO_LARGE) == 2
    assert database_state() == before


def test_the_history_workbooks_largest_number_is_stored_when_confirmed(pc06, city, month):
    upload(pc06, HISTORY_URL, history_workbook([history_row("Q01-BNG", 3, "ind.NEWS_PRESS", LARGEST)]))
    pc06.post(reverse("import_confirm", args=[ImportBatch.objects.get().pk]))
    assert DataValue.objects.get(key="ind.NEWS_PRESS").number == LARGEST
