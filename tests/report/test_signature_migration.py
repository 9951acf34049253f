"""Migration 0011 turns the three signer fields into lines over and under the signature, and back."""

import pytest


from .helpers import historic_april_2024, migrate, migrated_back_from

# Transactional: the migration changes the schema, which SQLite will not do inside the test's transaction.
pytestmark = pytest.mark.django_db(transaction=True)
BEFORE, AFTER = [("reporting", "0010_report_files_in_storage")], [("reporting", "0011_signature_lines")]


@pytest.fixture
def before():
    """The database as 0010 left it; put back to the latest migration afterwards."""
    yield from migrated_back_from(BEFORE)


def test_the_signer_fields_become_lines_and_come_back(before):
    schedule = historic_april_2024(before).schedule
    before.get_model("reporting", "ReportSettings").objects.create(
        schedule_id=schedule.pk, issuer_lines="BAN CHỈ ĐẠO", place="P", subject="S", reporting_body="B", area="A",
        recipients="- Lưu: VT.", signer_authority="KT. TRƯỞNG BAN", signer_title="PHÓ TRƯỞNG BAN THƯỜNG TRỰC",
        signer_name="Trung tướng Lê Hồng Nam")

    after = migrate(AFTER).get_model("reporting", "ReportSettings").objects.get()
    assert after.signature_above == "KT. TRƯỞNG BAN\nPHÓ TRƯỞNG BAN THƯỜNG TRỰC"
    assert after.signature_below == "Trung tướng Lê Hồng Nam"

    back = migrate(BEFORE).get_model("reporting", "ReportSettings").objects.get()
    assert (back.signer_authority, back.signer_title, back.signer_name) == (
        "KT. TRƯỞNG BAN", "PHÓ TRƯỞNG BAN THƯỜNG TRỰC", "Trung tướng Lê Hồng Nam")
