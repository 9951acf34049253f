"""Migration 0010 moves an issued report's PDF, DOCX and signed PDF from the database into the storage, and back."""

import datetime

import pytest

from .helpers import historic_april_2024, migrate, migrated_back_from

# Transactional: the migration changes the schema, which SQLite will not do inside the test's transaction.
pytestmark = pytest.mark.django_db(transaction=True)
BEFORE, AFTER = [("reporting", "0009_import_kind_plan")], [("reporting", "0010_report_files_in_storage")]


@pytest.fixture
def before():
    """The database as 0009 left it; put back to the latest migration afterwards."""
    yield from migrated_back_from(BEFORE)


def test_report_bytes_become_files_and_come_back(before, media_root):
    # The account as 0009 knew it: today's model has columns that database lacks.
    period, user = historic_april_2024(before), before.get_model("reporting", "User").objects.create(username="pc06")
    old = before.get_model("reporting", "ReportVersion").objects
    version = old.create(
        period_id=period.pk, number="264/BC-BCĐ", issued_on=datetime.date(2024, 5, 6), document={},
        content_sha256="ab" * 32, pdf=b"%PDF-1.7 ban hanh", docx=b"PK docx", signed_pdf=b"%PDF-1.7 da ky",
        finalised_by_id=user.pk)
    unsigned = old.create(
        period_id=period.pk, number="265", issued_on=datetime.date(2024, 5, 7), document={},
        content_sha256="cd" * 32, pdf=b"%PDF-1.7 chua ky", docx=b"PK", finalised_by_id=user.pk)

    after = migrate(AFTER).get_model("reporting", "ReportVersion").objects
    moved = after.get(pk=version.pk)
    folder = media_root / "bao-cao-tong-hop" / "2024" / "04" / f"264-bc-bcd-{'ab' * 6}"
    assert moved.pdf.name == f"bao-cao-tong-hop/2024/04/264-bc-bcd-{'ab' * 6}/bao-cao.pdf"
    assert {path.name: path.read_bytes() for path in folder.iterdir()} == {
        "bao-cao.pdf": b"%PDF-1.7 ban hanh", "bao-cao.docx": b"PK docx", "bao-cao-da-ky.pdf": b"%PDF-1.7 da ky"}
    assert after.get(pk=unsigned.pk).signed_pdf.name == ""

    back = migrate(BEFORE).get_model("reporting", "ReportVersion").objects
    assert (bytes(back.get(pk=version.pk).pdf), bytes(back.get(pk=version.pk).signed_pdf)) == (
        b"%PDF-1.7 ban hanh", b"%PDF-1.7 da ky")
    assert (bytes(back.get(pk=unsigned.pk).docx), back.get(pk=unsigned.pk).signed_pdf) == (b"PK", None)
