"""Catalog edits that would break integrity are refused in Vietnamese, and nothing is half-saved."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from indicators.models import Indicator, PlanTask, PlanTaskUnit, TaskRole
from reporting.choices import AgencyKind
from reporting.models import Agency

from .. import conftest

pytestmark = pytest.mark.django_db


def admin_client(client, people):
    client.login(username="compiler", password=conftest.PASSWORD)
    return client


def agency_form(agency, **changes):
    data = {
        "code": agency.code, "name": agency.name, "short_name": agency.short_name, "kind": agency.kind,
        "parent": agency.parent_id or "", "valid_from": "", "valid_to": "", "is_reporting_unit": "on",
        "aliases": "", "email": "", "phone": "", "source": "",
    }
    data.update(changes)
    return data


def test_duplicate_agency_code_refused_in_admin(client, city, people):
    response = admin_client(client, people).post(reverse("admin:reporting_agency_add"), agency_form(
        city["ben_nghe"], name="Phường trùng mã"))
    assert response.status_code == 200
    assert "Đơn vị có Mã đã tồn tại." in response.content.decode()
    assert not Agency.objects.filter(name="Phường trùng mã").exists()


def test_agency_cannot_become_its_own_ancestor(client, city, people):
    response = admin_client(client, people).post(
        reverse("admin:reporting_agency_change", args=[city["q1"].pk]),
        agency_form(city["q1"], parent=city["ben_nghe"].pk),
    )
    assert "vòng lặp trong cây đơn vị" in response.content.decode()
    city["q1"].refresh_from_db()
    assert city["q1"].parent == city["root"]


def test_agency_cannot_be_its_own_parent_even_in_the_database(city):
    agency = city["q1"]
    agency.parent_id = agency.pk
    with pytest.raises(ValidationError, match="vòng lặp"):
        agency.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        agency.save()


def test_validity_must_end_after_it_starts(client, city, people):
    response = admin_client(client, people).post(
        reverse("admin:reporting_agency_change", args=[city["q3"].pk]),
        agency_form(city["q3"], valid_from="01/07/2025", valid_to="30/06/2025"),
    )
    assert "Ngày hết hiệu lực phải sau ngày bắt đầu hiệu lực." in response.content.decode()
    agency = city["q3"]
    agency.valid_from, agency.valid_to = datetime.date(2025, 7, 1), datetime.date(2025, 6, 30)
    with pytest.raises(IntegrityError), transaction.atomic():
        agency.save()


def test_ratio_indicator_needs_numerator_and_denominator(catalogs):
    ratio = Indicator(code="X_RATE", name="Tỷ lệ thử", unit="%", kind="ratio")
    with pytest.raises(ValidationError) as error:
        ratio.full_clean()
    assert "Chỉ số tỷ lệ phải có tử số và mẫu số" in str(error.value)
    with pytest.raises(IntegrityError), transaction.atomic():
        ratio.save()


def _task_form(task, units):
    data = {
        "plan": task.plan_id, "group": task.group_id, "number": task.number, "content": task.content,
        "lead_text": task.lead_text, "coordinating_text": task.coordinating_text,
        "deadline_text": task.deadline_text, "product": task.product,
        "units-TOTAL_FORMS": str(len(units)), "units-INITIAL_FORMS": str(len(units)),
        "units-MIN_NUM_FORMS": "0", "units-MAX_NUM_FORMS": "1000",
    }
    for index, (unit, delete) in enumerate(units):
        data.update({
            f"units-{index}-id": unit.pk, f"units-{index}-task": task.pk, f"units-{index}-role": unit.role,
            f"units-{index}-agency": unit.agency_id or "", f"units-{index}-agency_kind": unit.agency_kind,
            f"units-{index}-printed_name": unit.printed_name,
        })
        if delete:
            data[f"units-{index}-DELETE"] = "on"
    return data


def test_task_cannot_lose_its_lead_unit(client, catalogs, people):
    task = PlanTask.objects.get(number="07")
    units = list(task.units.all())
    data = _task_form(task, [(unit, unit.role == TaskRole.LEAD) for unit in units])
    data["content"] = "Nội dung đã sửa"
    response = admin_client(client, people).post(reverse("admin:indicators_plantask_change", args=[task.pk]), data)
    assert "Nhiệm vụ phải có ít nhất một đơn vị chủ trì" in response.content.decode()
    task.refresh_from_db()
    assert task.content != "Nội dung đã sửa"  # nothing half-saved
    assert task.units.filter(role=TaskRole.LEAD).count() == 1


def test_task_unit_is_an_agency_or_a_kind_never_both(catalogs):
    task = PlanTask.objects.get(number="07")
    both = PlanTaskUnit(task=task, role=TaskRole.LEAD, agency=Agency.objects.get(code="CATP"), agency_kind=AgencyKind.WARD)
    with pytest.raises(ValidationError, match="Chọn một đơn vị hoặc một loại đơn vị"):
        both.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        PlanTaskUnit.objects.create(task=task, role=TaskRole.LEAD)


def test_compiler_edits_a_catalog_in_the_vietnamese_admin(client, catalogs, people):
    response = admin_client(client, people).get(reverse("admin:indicators_service_changelist"))
    page = response.content.decode()
    assert "Quản trị danh mục Đề án 06" in page
    assert "Đăng ký thường trú" in page
    assert "dịch vụ công thiết yếu" in page.lower()
