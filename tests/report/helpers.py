"""Shared by the report tests (and the browser and plan-board tests that issue a report): the April 2024
figures of seed 000, saving a unit's month, reading issued PDF/DOCX files, and the demo signer's settings."""

import datetime
import io
import re
import subprocess
from decimal import Decimal

import docx
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from reporting.choices import ChangeSource
from reporting.models import Agency
from reporting.submissions import store, workflow
from reporting.submissions.store import CellValue

MAY_6 = datetime.date(2024, 5, 6)

# Seed 000 §II.1.2: "11 dịch vụ công trực tuyến thuộc nhiệm vụ của CATP" (online/received, or a count).
SEED_000_SERVICES = {
    "DVC01": (3600, 3832), "DVC02": (14610, 14665), "DVC03": (40400, 40424), "DVC04": (5, 27),
    "DVC05": (20, 38), "DVC06": (2106, 4050), "DVC07": (8090, 8090),
    "DVC08": 3636, "DVC09": 16, "DVC10": 115685, "DVC11": 143564,
}
SEED_000_SENTENCE = (
    "- 11 dịch vụ công trực tuyến thuộc nhiệm vụ của CATP: (1) Đăng ký thường trú 3.600/3.832 hồ sơ, đạt 93,95%; "
    "(2) Đăng ký tạm trú 14.610/14.665 hồ sơ, đạt tỷ lệ 99,62%; (3) Thông báo lưu trú 40.400/40.424 hồ sơ, tỷ lệ 99,94%; "
    "(4) Khai báo tạm vắng 05/27 hồ sơ, tỷ lệ 18,52%; (5) Xác nhận số CMND khi đã có thẻ CCCD 20/38 hồ sơ, tỷ lệ 52,63%; "
    "(6) Cấp mới, cấp lại, đổi thẻ Căn cước công dân 2.106/4.050 hồ sơ, tỷ lệ 52%; "
    "(7) Cấp hộ chiếu phổ thông 8.090/8.090 hồ sơ, tỷ lệ 100%; "
    "(8) Cấp con dấu mới và cấp Giấy chứng nhận đã đăng ký mẫu dấu 3.636 hồ sơ; "
    "(9) Cấp con dấu nổi, thu nhỏ và cấp Giấy chứng nhận đã đăng ký mẫu dấu 16 hồ sơ; "
    "(10) Đăng ký cấp biển số xe mô tô, xe gắn máy 115.685 hồ sơ; "
    "(11) Thu tiền nộp phạt xử lý vi phạm hành chính trong lĩnh vực giao thông đường bộ qua thiết bị ghi hình "
    "(phạt nguội) 143.564 trường hợp."
)


def service_cells():
    cells = {}
    for code, figures in SEED_000_SERVICES.items():
        if isinstance(figures, tuple):
            cells[f"dvc.{code}.online"], cells[f"dvc.{code}.received"] = figures
        else:
            cells[f"dvc.{code}.count"] = figures
    return cells


def report(agency_code, period, cells, *, approve=True, compiler):
    """The unit's month saved and, unless told otherwise, submitted and approved by PC06."""
    values = {key: CellValue(number=Decimal(v)) if isinstance(v, int) else CellValue(text=v) for key, v in cells.items()}
    submission = store.save_values(agency=Agency.objects.get(code=agency_code), period=period, user=compiler,
                                   values=values, version=0, source=ChangeSource.IMPORT)
    workflow.submit(submission, compiler, version=submission.version)
    if approve:
        workflow.approve(submission, compiler, version=submission.version)
    return submission


def pdf_text(content):
    """The PDF's words as pdftotext reads them: page numbers (first line of pages 2…) dropped, whitespace folded."""
    text = subprocess.run(["pdftotext", "-", "-"], input=bytes(content), capture_output=True, check=True).stdout
    pages = text.decode("utf-8").split("\f")
    pages = [pages[0], *(re.sub(r"\A\s*\d+\s*\n", "", page) for page in pages[1:])]
    return " ".join(" ".join(pages).split())


def stored(field_file):
    """The bytes of an issued file, read from the storage backend."""
    with field_file.open("rb"):
        return field_file.read()


def docx_text(content):
    """The DOCX's paragraphs and table cells (the header block is a table), whitespace folded."""
    document = docx.Document(io.BytesIO(bytes(content)))
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return " ".join(" ".join([*cells, *(p.text for p in document.paragraphs)]).split())


ORGANISATION = "Công an Thành phố Hồ Chí Minh"
# The signer fixtures/report_settings.json names under the signature ("Trung tướng Lê Hồng Nam").
BLOCK_SIGNER = "Lê Hồng Nam"


def use_signer(settings, folder, password=""):
    settings.SIGNING_PKCS12_PATH = folder / "signer.p12"
    settings.SIGNING_ORGANISATION_PKCS12_PATH = folder / "organisation.p12"
    settings.SIGNING_TRUST_ROOTS = [str(folder / "ca.pem")]
    settings.SIGNING_PKCS12_PASSWORD = settings.SIGNING_ORGANISATION_PKCS12_PASSWORD = password


def make_signer(settings, folder, name="Võ Thị Giang", password="", organisation=ORGANISATION):
    """A new demo CA, signer and organisation in `folder`, with the settings pointing at them."""
    use_signer(settings, folder, password)
    call_command("create_demo_signer", name=name, organisation=organisation, stdout=io.StringIO())


def flip_byte_in_original(signed, original):
    """One byte changed in the first content stream of the original document, far from the signature value."""
    position = signed.index(b"stream\n") + len(b"stream\n") + 20
    assert position < len(original)  # inside the bytes the signature covers, not in /Contents
    tampered = bytearray(signed)
    tampered[position] ^= 0x01
    return bytes(tampered)


def migrate(targets):
    """The app registry as it stands after migrating to ``targets`` (a migration test's schema)."""
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def historic_april_2024(apps):
    """The schedule and its April 2024 period, made with a migration test's historical models."""
    schedule = apps.get_model("reporting", "ReportingSchedule").objects.create(name="Báo cáo tháng Đề án 06")
    return apps.get_model("reporting", "ReportingPeriod").objects.create(
        schedule=schedule, year=2024, month=4, window_start=datetime.date(2024, 3, 15),
        window_end=datetime.date(2024, 4, 14), deadline=datetime.date(2024, 4, 15))


def migrated_back_from(targets):
    """A fixture's body: the database as ``targets`` left it, then back to the latest migration."""
    apps = migrate(targets)
    yield apps
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())

