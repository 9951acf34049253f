"""Two people save the same submission at the same moment: one wins, the other is told, nothing is lost.

Two real requests run in two threads, each on its own database connection. A
barrier holds both right before they claim the submission's version, so their
UPDATEs really race; PostgreSQL's row lock then decides the winner.
"""

import threading
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from reporting.models import DataValue, Submission, ValueChange

from .. import conftest
from .helpers import fill_april, form_data


@pytest.mark.django_db(transaction=True)
def test_the_second_of_two_concurrent_saves_is_refused_with_what_the_first_changed(city, month, people, monkeypatch):
    if connection.vendor != "postgresql":
        pytest.skip("cần PostgreSQL: SQLite khóa cả tệp nên không có hai lần ghi đồng thời")
    submission = fill_april(people["ward_officer"], city, month)
    barrier = threading.Barrier(2, timeout=10)
    claim = Submission.claim_versions.__func__

    def claim_together(cls, expected, user):
        barrier.wait()
        return claim(cls, expected, user)

    monkeypatch.setattr(Submission, "claim_versions", classmethod(claim_together))
    url = reverse("entry", args=[2024, 4, city["ben_nghe"].pk])
    edits = {"ward_officer": "20", "ward_head": "30"}
    responses = {}

    def post(username):
        client = Client()
        client.login(username=username, password=conftest.PASSWORD)
        responses[username] = client.post(url, form_data(month, version=submission.version, ind__NEWS_PRESS=edits[username]))
        connection.close()

    threads = [threading.Thread(target=post, args=(name,)) for name in edits]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    statuses = sorted(response.status_code for response in responses.values())
    assert statuses == [200, 302]
    winner = next(name for name, response in responses.items() if response.status_code == 302)
    loser = next(name for name in edits if name != winner)
    html = responses[loser].content.decode()
    assert "Báo cáo vừa được người khác lưu" in html
    assert f"Tin đăng trên báo: 12 → {edits[winner]}" in html
    # Both typed the same cell: the field shows the stored value, the loser's own is listed beside it.
    assert field_values(html)["ind.NEWS_PRESS"] == edits[winner]
    assert f"<td>{edits[loser]}</td>" in html
    assert DataValue.objects.get(key="ind.NEWS_PRESS").number == Decimal(edits[winner])
    later = ValueChange.objects.filter(key="ind.NEWS_PRESS", version__gt=submission.version)
    assert list(later.values_list("new_value", flat=True)) == [edits[winner]]


@pytest.mark.django_db
def test_a_save_from_a_page_loaded_before_someone_elses_save_is_refused(client, city, month, people):
    submission = fill_april(people["ward_officer"], city, month)
    loaded_version = submission.version
    client.login(username="ward_head", password=conftest.PASSWORD)
    url = reverse("entry", args=[2024, 4, city["ben_nghe"].pk])
    assert client.post(url, form_data(month, version=loaded_version, ind__NEWS_PRESS="20")).status_code == 302

    client.login(username="ward_officer", password=conftest.PASSWORD)
    response = client.post(url, form_data(month, version=loaded_version, ind__NEWS_PRESS="30"))
    html = response.content.decode()
    assert "Tin đăng trên báo: 12 → 20" in html
    assert DataValue.objects.get(key="ind.NEWS_PRESS").number == 20
    # Having read the other change, the officer may deliberately save over it.
    response = client.post(url, form_data(month, version=loaded_version + 1, ind__NEWS_PRESS="30"))
    assert response.status_code == 302
    assert DataValue.objects.get(key="ind.NEWS_PRESS").number == 30


def field_values(html):
    """name → value of every text input the page shows: what the browser would post back."""
    import html as markup
    import re
    return {markup.unescape(name): markup.unescape(value)
            for name, value in re.findall(r'<input[^>]*name="([^"]+)"[^>]*value="([^"]*)"', html)}


@pytest.mark.django_db
def test_the_page_after_a_conflict_never_reverts_the_other_editors_change(client, city, month, people):
    submission = fill_april(people["ward_officer"], city, month)
    loaded_version = submission.version
    url = reverse("entry", args=[2024, 4, city["ben_nghe"].pk])
    client.login(username="ward_head", password=conftest.PASSWORD)
    assert client.post(url, form_data(month, version=loaded_version, ind__NEWS_PRESS="20",
                                      ind__EID_ACTIVATED="7.900.000")).status_code == 302

    # The officer's page still shows 12 and 7.856.474; they change another cell, and one the head changed too.
    client.login(username="ward_officer", password=conftest.PASSWORD)
    refused = client.post(url, form_data(month, version=loaded_version, dvc__DVC24__count="36",
                                         ind__EID_ACTIVATED="7.950.000")).content.decode()
    shown = field_values(refused)
    assert shown["ind.NEWS_PRESS"] == "20"              # only the head changed it: their value, not the stale 12
    assert shown["dvc.DVC24.count"] == "36"             # only the officer changed it: kept
    assert shown["ind.EID_ACTIVATED"] == "7.900.000"    # both changed it: the stored value, the officer's beside it
    assert "7.950.000" in refused and 'data-testid="conflict-cells"' in refused

    # The obvious next "Lưu nháp" with the page as shown keeps the head's changes.
    data = {**form_data(month), **shown}
    assert client.post(url, data).status_code == 302
    saved = dict(DataValue.objects.filter(submission=submission).values_list("key", "number"))
    assert (saved["ind.NEWS_PRESS"], saved["dvc.DVC24.count"], saved["ind.EID_ACTIVATED"]) == (20, 36, 7_900_000)
