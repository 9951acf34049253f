"""The one access decision, asserted on querysets (every view goes through it)."""

import pytest
from django.db.models import Q
from django.http import Http404

from reporting import access
from reporting.models import Agency


def codes(queryset):
    return set(queryset.values_list("code", flat=True))


def test_ward_officer_reads_and_changes_only_own_ward(city, people):
    user = people["ward_officer"]
    assert codes(Agency.objects.visible_to(user)) == {"Q01-BNG"}
    assert codes(Agency.objects.editable_by(user)) == {"Q01-BNG"}


def test_district_officer_reads_its_wards_but_changes_only_itself(city, people):
    user = people["district_officer"]
    assert codes(Agency.objects.visible_to(user)) == {"Q01", "Q01-BNG", "Q01-BTH"}
    assert codes(Agency.objects.editable_by(user)) == {"Q01"}


def test_department_officer_sees_only_the_department(city, people):
    assert codes(Agency.objects.visible_to(people["dept_officer"])) == {"STP"}


def test_compiler_and_admin_read_and_change_everything(city, people):
    everything = codes(Agency.objects.all())
    for role in ("compiler", "admin"):
        assert codes(Agency.objects.visible_to(people[role])) == everything
        assert codes(Agency.objects.editable_by(people[role])) == everything


def test_leader_reads_everything_and_changes_nothing(city, people):
    assert codes(Agency.objects.visible_to(people["leader"])) == codes(Agency.objects.all())
    assert codes(Agency.objects.editable_by(people["leader"])) == set()


def test_inactive_or_anonymous_users_see_nothing(city, people):
    from django.contrib.auth.models import AnonymousUser

    user = people["compiler"]
    user.is_active = False
    assert access.agency_filter(user, for_change=False) == access.NOTHING
    assert codes(Agency.objects.visible_to(AnonymousUser())) == set()


def test_officer_without_agency_sees_nothing(city, people):
    user = people["ward_officer"]
    user.agency = None
    assert codes(Agency.objects.visible_to(user)) == set()


def test_only_compilers_and_admins_use_the_admin(people):
    allowed = {name for name, user in people.items() if access.can_use_admin(user)}
    assert allowed == {"compiler", "admin"}
    assert {name for name, user in people.items() if access.can_manage_accounts(user)} == {"admin"}


def test_agency_or_404_finds_exactly_what_the_scope_shows(city, people):
    """The own-unit shortcut (no scope joins) answers as the scope does, for every user and unit."""
    for user in people.values():
        visible = codes(Agency.objects.visible_to(user))
        for agency in Agency.objects.all():
            if agency.code in visible:
                assert access.agency_or_404(user, agency.pk) == agency
            else:
                with pytest.raises(Http404):
                    access.agency_or_404(user, agency.pk)


def test_an_inactive_user_does_not_reach_even_their_own_unit(city, people):
    user = people["ward_officer"]
    user.is_active = False
    with pytest.raises(Http404):
        access.agency_or_404(user, user.agency_id)


def test_own_unit_is_read_by_its_key_alone(city, people, django_assert_num_queries):
    user = people["district_officer"]
    with django_assert_num_queries(1) as captured:
        assert access.agency_or_404(user, user.agency_id) == user.agency
    assert "JOIN" not in captured.captured_queries[0]["sql"]


def test_visibility_is_one_query(city, people, django_assert_num_queries):
    with django_assert_num_queries(1):
        list(Agency.objects.visible_to(people["district_officer"]))


def test_role_agency_rules_in_vietnamese(city):
    from reporting.choices import Role

    assert "phải thuộc một đơn vị" in access.role_agency_problem(Role.OFFICER, None)
    assert "PC06" in access.role_agency_problem(Role.COMPILER, city["dept"])
    assert access.role_agency_problem(Role.COMPILER, city["pc06"]) == ""
    assert "không nhập số liệu" in access.role_agency_problem(Role.HEAD, city["root"])
    assert access.agency_filter(None, for_change=False) == access.NOTHING
    assert isinstance(access.agency_filter(None, for_change=True), Q)


def test_may_change_decides_as_the_queryset_does_for_every_role_and_unit(city, people):
    from django.contrib.auth.models import AnonymousUser

    inactive = people["ward_officer"]
    inactive.is_active = False
    users = [*people.values(), AnonymousUser()]
    for user in users:
        editable = codes(Agency.objects.editable_by(user))
        for agency in Agency.objects.all():
            assert access.may_change(user, agency) == (agency.code in editable), (user, agency.code)
