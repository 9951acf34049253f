"""Filling Bến Nghé's April sheet (see the ``month`` fixture) the way users do."""

import datetime
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from reporting.formatting import parse_number
from reporting.models import Submission
from reporting.submissions import sheets, store, workflow
from reporting.submissions.store import CellValue

from .. import conftest

# Typed the Vietnamese way, as the form receives them.
APRIL_NUMBERS = {
    "dvc.DVC22.received": "1.250", "dvc.DVC22.online": "1.100", "dvc.DVC22.resolved": "1.200",
    "dvc.DVC22.on_time": "1.180", "dvc.DVC24.count": "35",
    "ind.EID_ACTIVATED": "7.856.474", "ind.NEWS_PRESS": "12",
}


def april_texts(month):
    return {"mh.MH02.status": "in_progress", f"nv.{month['task'].pk}.status": "done",
            "note.difficulties": "Thiếu máy quét."}


def form_data(month, version=0, **changes):
    """The POST of a fully filled entry page; ``changes`` use '__' for '.' in keys."""
    data = {**APRIL_NUMBERS, **april_texts(month), "version": str(version)}
    data.update({key.replace("__", "."): value for key, value in changes.items()})
    return data


def save(user, city, month, values, version=0, period="april"):
    """Save cells through the one write path: numbers as Decimal, everything else as text."""
    cells = {key: CellValue(number=Decimal(value)) if isinstance(value, (int, Decimal)) else CellValue(text=value)
             for key, value in values.items()}
    return store.save_values(agency=city["ben_nghe"], period=month[period], user=user, values=cells, version=version)


def fill_april(user, city, month, version=0):
    values = {key: parse_number(text) for key, text in APRIL_NUMBERS.items()}
    return save(user, city, month, {**values, **april_texts(month)}, version)


def april_sheet(city, month):
    return sheets.build(city["ben_nghe"], month["april"])


def april_reported(city, month, people):
    """Bến Nghé submitted on time and got approved (1.100/1.250 online), Quận 1 submitted late,
    Bến Thành is a draft, the other units have nothing. Returns Bến Nghé's submission."""
    deadline = timezone.make_aware(datetime.datetime.combine(month["april"].deadline, datetime.time(8)))
    ben_nghe = fill_april(people["ward_officer"], city, month)
    workflow.submit(ben_nghe, people["ward_officer"], version=ben_nghe.version, now=deadline)
    workflow.approve(ben_nghe, people["compiler"], version=ben_nghe.version)
    late = Submission.objects.create(period=month["april"], agency=city["q1"])
    workflow.submit(late, people["compiler"], version=0, now=deadline + datetime.timedelta(days=2))
    Submission.objects.create(period=month["april"], agency=city["ben_thanh"])
    return ben_nghe


def upload(client, submission, name, content):
    client.login(username="ward_officer", password=conftest.PASSWORD)
    return client.post(reverse("upload_evidence", args=[submission.pk]),
                       {"file": SimpleUploadedFile(name, content)}, follow=True).content.decode()
