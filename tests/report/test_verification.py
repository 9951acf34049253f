"""Verifying an uploaded PDF: every signature in order, the verdict, whether it is the issued file; the command."""

import datetime
import hashlib

import pytest
from django.conf import settings as django_settings
from django.core.management import ManagementUtility
from django.test import override_settings
from django.utils import timezone

from reporting.models import ReportVersion
from reporting.report.signing import sign_pdf
from reporting.report.verification import (
    MODIFIED,
    NOT_REGISTERED,
    UNSIGNED,
    issued_version,
    registration_message,
    verify_pdf,
)

from .helpers import flip_byte_in_original, make_signer, stored, use_signer
from .test_signing import rotate_first_page

DEMO_CA = "CA thử nghiệm Đề án 06 (Công an Thành phố Hồ Chí Minh)"


@pytest.fixture(scope="module")
def signed_once(demo_signer, report_pdf):
    with override_settings():
        use_signer(django_settings, demo_signer)
        return sign_pdf(report_pdf, reason="Phê duyệt báo cáo tháng")


@pytest.fixture
def signed_pdf(signer, signed_once):
    return signed_once


@pytest.fixture
def signed_twice(signer, report_pdf, settings, tmp_path):
    """The person signs first, then the organisation with its own certificate from another CA; both CAs trusted."""
    person = sign_pdf(report_pdf, field_name="ChuKyNguoiKy")
    person_root = settings.SIGNING_TRUST_ROOTS[0]
    make_signer(settings, tmp_path / "co-quan", name="Công an Thành phố Hồ Chí Minh")
    both = sign_pdf(person, field_name="ChuKyCoQuan")
    settings.SIGNING_TRUST_ROOTS = [person_root, *settings.SIGNING_TRUST_ROOTS]
    return person, both


def test_two_signatures_are_listed_in_order_with_issuer_and_time(signed_twice):
    result = verify_pdf(signed_twice[1])

    first, second = result.signatures
    assert [first.field_name, second.field_name] == ["ChuKyNguoiKy", "ChuKyCoQuan"]
    assert (first.signer, first.organisation) == ("Võ Thị Giang", "Công an Thành phố Hồ Chí Minh")
    assert second.signer == "Công an Thành phố Hồ Chí Minh"
    assert first.issuer == second.issuer == DEMO_CA
    assert first.signed_at <= second.signed_at and abs(second.signed_at - timezone.now()) < datetime.timedelta(minutes=2)
    assert first.signed_at_text == timezone.localtime(first.signed_at).strftime("%d/%m/%Y %H:%M:%S")
    # The first covers its revision, and only the organisation's signature came after it.
    assert (first.intact, first.trusted, first.covers_whole_file, first.later_only_signatures) == (True, True, False, True)
    assert first.coverage_text == "Phần tệp đến chữ ký này; sau đó chỉ thêm chữ ký khác"
    assert (second.intact, second.trusted, second.covers_whole_file) == (True, True, True)
    assert result.ok and result.signer == "Công an Thành phố Hồ Chí Minh"
    assert result.message.startswith("Chữ ký hợp lệ: 2 chữ ký, chữ ký cuối của Công an Thành phố Hồ Chí Minh lúc ")


def test_one_untrusted_signature_of_two_makes_the_file_untrusted(signed_twice, settings):
    settings.SIGNING_TRUST_ROOTS = settings.SIGNING_TRUST_ROOTS[:1]     # the organisation's CA is not trusted
    result = verify_pdf(signed_twice[1])

    assert [check.trusted for check in result.signatures] == [True, False]
    assert result.intact and not result.trusted and not result.ok
    assert "không được tin cậy" in result.message


def test_a_change_after_the_first_signature_is_not_only_a_signature(signer, report_pdf):
    changed = sign_pdf(rotate_first_page(sign_pdf(report_pdf, field_name="ChuKyNguoiKy")), field_name="ChuKyCoQuan")
    result = verify_pdf(changed)

    first, second = result.signatures
    assert first.intact and first.later_only_signatures is False
    assert first.coverage_text == "Phần tệp đến chữ ký này; sau đó tệp bị sửa đổi"
    assert second.intact and second.covers_whole_file
    assert not result.intact and not result.ok and result.message == MODIFIED


def test_a_modified_file_is_not_intact(signed_pdf, report_pdf):
    result = verify_pdf(flip_byte_in_original(signed_pdf, report_pdf))

    assert [check.intact for check in result.signatures] == [False]
    assert not result.intact and not result.ok and result.message == MODIFIED


def test_a_change_after_the_last_signature_is_listed_as_such(signed_pdf):
    result = verify_pdf(rotate_first_page(signed_pdf))

    (only,) = result.signatures
    assert only.intact and not only.covers_whole_file and only.later_only_signatures is False
    assert not result.ok and result.message == MODIFIED


def test_an_unsigned_file_lists_no_signature(report_pdf):
    result = verify_pdf(report_pdf)

    assert result.signatures == () and not result.signed and not result.ok
    assert result.message == UNSIGNED


def test_the_issued_file_is_recognised_by_its_hash_and_a_copy_is_not(issued):
    version = ReportVersion.objects.get(pk=issued.pk)
    signed = stored(version.signed_pdf)

    assert version.signed_sha256 == hashlib.sha256(signed).hexdigest()
    assert issued_version(signed) == version
    assert registration_message(issued_version(signed)) == (
        f"Đây đúng là tệp đã ban hành: Báo cáo số 264/BC-BCĐ ngày {version.issued_on:%d/%m/%Y} (Tháng 4/2024).")
    resaved = signed + b"\n"          # a valid-looking copy, but not the bytes that were issued
    assert issued_version(resaved) is None and issued_version(stored(version.person_signed_pdf)) is None
    assert registration_message(None) == NOT_REGISTERED == "Không phải tệp đã ban hành được lưu trong hệ thống."


# verify_signature


def run_verify(path, capsys):
    """The command as a shell runs it: (exit code, printed text)."""
    try:
        ManagementUtility(["manage.py", "verify_signature", str(path)]).execute()
        code = 0
    except SystemExit as exit_:
        code = exit_.code
    captured = capsys.readouterr()
    return code, captured.out + captured.err


@pytest.mark.django_db
def test_verify_signature_command_valid(signed_pdf, tmp_path, capsys):
    (tmp_path / "bao-cao.pdf").write_bytes(signed_pdf)
    code, text = run_verify(tmp_path / "bao-cao.pdf", capsys)

    assert code == 0
    assert "Chữ ký hợp lệ" in text and "Chữ ký thứ 1:" in text and "Người ký: Võ Thị Giang" in text
    assert f"Tổ chức cấp chứng thư: {DEMO_CA}" in text
    assert "Không bị sửa đổi sau khi ký: có" in text and "Chứng thư được tin cậy: có" in text
    assert NOT_REGISTERED in text


@pytest.mark.django_db
def test_verify_signature_command_lists_both_signatures(signed_twice, tmp_path, capsys):
    (tmp_path / "bao-cao.pdf").write_bytes(signed_twice[1])
    code, text = run_verify(tmp_path / "bao-cao.pdf", capsys)

    assert code == 0
    assert text.index("Chữ ký thứ 1:") < text.index("Người ký: Võ Thị Giang") < text.index("Chữ ký thứ 2:")
    assert "Phạm vi ký: Phần tệp đến chữ ký này; sau đó chỉ thêm chữ ký khác" in text


@pytest.mark.django_db
@pytest.mark.parametrize("tamper, expected", [
    (lambda signed, original: flip_byte_in_original(signed, original), "đã bị sửa đổi"),
    (lambda signed, original: original, "không có chữ ký số"),
    (lambda signed, original: b"garbage", "Không đọc được tệp PDF"),
])
def test_verify_signature_command_fails(signed_pdf, report_pdf, tmp_path, capsys, tamper, expected):
    (tmp_path / "bao-cao.pdf").write_bytes(tamper(signed_pdf, report_pdf))
    code, text = run_verify(tmp_path / "bao-cao.pdf", capsys)

    assert code == 1
    assert expected in text


@pytest.mark.django_db
def test_verify_signature_command_untrusted_signer_fails(signed_pdf, settings, tmp_path, capsys):
    settings.SIGNING_TRUST_ROOTS = []
    (tmp_path / "bao-cao.pdf").write_bytes(signed_pdf)
    code, text = run_verify(tmp_path / "bao-cao.pdf", capsys)

    assert code == 1 and "Chứng thư được tin cậy: không" in text


def test_verify_signature_command_missing_file(tmp_path, capsys):
    code, text = run_verify(tmp_path / "khong-co.pdf", capsys)
    assert code == 1 and "Không mở được tệp" in text

