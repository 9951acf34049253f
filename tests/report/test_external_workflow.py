"""The signer signs a finalised version with their own tool: the page gives the digest, a tool in another process
signs it with a key the server never holds, the page takes the CMS back; then the records office issues it."""

import shutil
import subprocess
import sys

import pytest
from django.conf import settings as django_settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from reporting.models import PendingSignature, ReportVersion
from reporting.report import issue, verification

from .helpers import BLOCK_SIGNER, ORGANISATION, stored

pytestmark = pytest.mark.django_db
SIGN_DIGEST = str(django_settings.BASE_DIR / "scripts" / "sign_digest.py")


def signer_tool(p12, *arguments, digest=""):
    """scripts/sign_digest.py in its own process, as on the signer's machine: it gets the digest, never the PDF."""
    return subprocess.run([sys.executable, SIGN_DIGEST, "--pkcs12", str(p12), *arguments], input=digest.encode(),
                          capture_output=True, check=True, env={"SIGN_DIGEST_PASSWORD": ""}).stdout


@pytest.fixture
def directors_machine(keys, settings, tmp_path):
    """The director's PKCS#12 on their own machine; the server's settings name no key of theirs."""
    own = tmp_path / "may-giam-doc" / "ca-nhan.p12"
    own.parent.mkdir()
    shutil.copy(keys / "signer.p12", own)
    settings.SIGNING_PKCS12_PATH = tmp_path / "khong-co.p12"
    return own


def test_the_director_signs_the_digest_in_another_process_then_the_office_issues(client, finalised, compiler, clerk,
                                                                                 directors_machine):
    url = reverse("report_sign_external", args=[finalised.pk])
    client.force_login(compiler)
    assert url in client.get(reverse("report_preview", args=[2024, 4])).content.decode()   # linked from the page
    certificate = signer_tool(directors_machine, "--certificate")
    response = client.post(url, {"step": "prepare", "certificate": SimpleUploadedFile("giam-doc.cer", certificate)})
    assert response.status_code == 302
    page = client.get(url)
    digest = page.context["digest"]["hex"]
    assert digest in page.content.decode() and PendingSignature.objects.get().version == finalised

    cms = signer_tool(directors_machine, digest=digest)
    response = client.post(url, {"step": "complete", "signature": SimpleUploadedFile("chu-ky.p7s", cms)})
    assert response.status_code == 302
    version = ReportVersion.objects.get(pk=finalised.pk)
    assert version.awaits_issue and version.person_signer == BLOCK_SIGNER and not PendingSignature.objects.exists()

    client.force_login(clerk)
    client.post(reverse("report_issue", args=[version.pk]), {"number": "264",
                                                             "issued_on": timezone.localdate().isoformat()})
    result = verification.verify_pdf(stored(ReportVersion.objects.get(pk=version.pk).signed_pdf))
    assert result.ok and [check.signer for check in result.signatures] == [BLOCK_SIGNER, ORGANISATION]


def test_a_certificate_of_someone_else_is_refused_before_signing_unless_pc06_records_why(client, finalised, compiler,
                                                                                        demo_signer, keys):
    url = reverse("report_sign_external", args=[finalised.pk])
    clerks_certificate = signer_tool(demo_signer / "signer.p12", "--certificate")      # "Võ Thị Giang"
    client.force_login(compiler)
    response = client.post(url, {"step": "prepare", "certificate": SimpleUploadedFile("a.cer", clerks_certificate)})
    assert response.status_code == 400
    assert "“Võ Thị Giang”, không phải người ký ghi trên báo cáo" in response.content.decode()
    assert not PendingSignature.objects.exists()
    client.post(url, {"step": "prepare", "certificate": SimpleUploadedFile("a.cer", clerks_certificate),
                      "mismatch_reason": "Ký thay theo giấy ủy quyền số 5/UQ"})
    assert PendingSignature.objects.get().mismatch_reason == "Ký thay theo giấy ủy quyền số 5/UQ"


def test_a_signature_by_someone_else_without_a_reason_or_over_another_digest_is_refused(client, finalised, compiler,
                                                                                       demo_signer,
                                                                                       directors_machine):
    url = reverse("report_sign_external", args=[finalised.pk])
    client.force_login(compiler)
    client.post(url, {"step": "prepare"})                   # no certificate given: checked when the CMS comes
    digest = client.get(url).context["digest"]["hex"]

    by_clerk = signer_tool(demo_signer / "signer.p12", digest=digest)
    response = client.post(url, {"step": "complete", "signature": SimpleUploadedFile("a.p7s", by_clerk)})
    assert response.status_code == 400 and "không phải người ký ghi trên báo cáo" in response.content.decode()
    other_digest = signer_tool(directors_machine, digest="00" * 32)
    response = client.post(url, {"step": "complete", "signature": SimpleUploadedFile("b.p7s", other_digest)})
    assert response.status_code == 400 and "không khớp với tệp đang chờ ký" in response.content.decode()
    response = client.post(url, {"step": "complete", "signature_text": "không phải chữ ký"})
    assert response.status_code == 400 and "không phải chữ ký số CMS" in response.content.decode()
    assert ReportVersion.objects.get(pk=finalised.pk).awaits_signature and PendingSignature.objects.exists()

    base64_cms = signer_tool(directors_machine, "--base64", digest=digest).decode()
    client.post(url, {"step": "complete", "signature_text": base64_cms})            # pasted, as some tools give it
    assert ReportVersion.objects.get(pk=finalised.pk).person_signer == BLOCK_SIGNER


def test_only_pc06_opens_the_page_and_a_signed_version_sends_back_to_the_report(client, finalised, compiler, people,
                                                                              keys):
    url = reverse("report_sign_external", args=[finalised.pk])
    client.force_login(people["leader"])
    assert client.get(url).status_code == 403
    issue.sign_as_signer(finalised, compiler)
    client.force_login(compiler)
    assert client.get(url)["Location"] == reverse("report_preview", args=[2024, 4])
