"""Evidence and issued reports in S3-compatible object storage (moto's in-process S3), and the settings that choose it."""

import boto3
import pytest
from django.urls import reverse
from django.utils import timezone
from moto import mock_aws

from de_an_06.settings import storages_from_env
from reporting.models import Evidence, ReportVersion
from reporting.report import verification

from ..excel.hostile import pdf
from ..submissions.helpers import upload
from .helpers import report, service_cells

pytestmark = pytest.mark.django_db
BUCKET, PREFIX = "bao-cao-de-an-06", "tphcm"
S3_ENV = {
    "MEDIA_STORAGE": "s3", "AWS_STORAGE_BUCKET_NAME": BUCKET, "AWS_S3_REGION_NAME": "ap-southeast-1",
    "AWS_ACCESS_KEY_ID": "khoa-thu-nghiem", "AWS_SECRET_ACCESS_KEY": "bi-mat-thu-nghiem", "AWS_LOCATION": PREFIX,
}


@pytest.fixture
def s3_env(monkeypatch):
    for name, value in S3_ENV.items():
        monkeypatch.setenv(name, value)


@pytest.fixture
def bucket(s3_env, settings):
    """The default storage is the bucket, configured from the environment as a deployment would be."""
    with mock_aws():
        client = boto3.client("s3", region_name=S3_ENV["AWS_S3_REGION_NAME"])
        client.create_bucket(Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": "ap-southeast-1"})
        settings.STORAGES = storages_from_env(debug=True)
        yield client


def objects(client):
    return {item["Key"]: client.get_object(Bucket=BUCKET, Key=item["Key"])["Body"].read()
            for item in client.list_objects_v2(Bucket=BUCKET).get("Contents", [])}


def test_evidence_goes_to_the_bucket_and_comes_back_through_the_download_view(client, bucket, submission,
                                                                              media_root):
    content = pdf()
    upload(client, submission, "ke-hoach.pdf", content)
    evidence = Evidence.objects.get()
    assert objects(bucket) == {f"{PREFIX}/{evidence.file.name}": content}
    assert not media_root.exists()
    response = client.get(reverse("download_evidence", args=[evidence.pk]))
    assert response.getvalue() == content
    assert 'filename="ke-hoach.pdf"' in response["Content-Disposition"]


def test_pc06_finalises_signs_and_issues_into_the_bucket_and_downloads_the_same_bytes(client, bucket, april, compiler,
                                                                                      clerk, people, keys):
    report("CATP", april, service_cells(), compiler=compiler)
    client.force_login(compiler)
    client.post(reverse("report_finalise", args=[2024, 4]))
    client.post(reverse("report_sign", args=[ReportVersion.objects.get().pk]))
    client.force_login(clerk)
    client.post(reverse("report_issue", args=[ReportVersion.objects.get().pk]),
                {"number": "264/BC-BCĐ", "issued_on": timezone.localdate().isoformat()})
    version = ReportVersion.objects.get()
    files = {"pdf": version.pdf, "docx": version.docx, "person-signed": version.person_signed_pdf,
             "signed": version.signed_pdf}
    stored = objects(bucket)
    assert set(stored) == {f"{PREFIX}/{file.name}" for file in files.values()}   # the unnumbered DOCX is gone
    assert version.signed_pdf.name.startswith("bao-cao-tong-hop/2024/04/264-bc-bcd-")
    for kind, file in files.items():
        response = client.get(reverse("report_version_file", args=[version.pk, kind]))
        assert response.getvalue() == stored[f"{PREFIX}/{file.name}"]
    assert verification.verify_pdf(stored[f"{PREFIX}/{version.signed_pdf.name}"]).ok


def test_s3_is_chosen_from_the_environment(s3_env, monkeypatch):
    monkeypatch.setenv("AWS_S3_ENDPOINT_URL", "https://s3.example.vn")
    default = storages_from_env(debug=False)["default"]
    assert default["BACKEND"] == "storages.backends.s3.S3Storage"
    options = default["OPTIONS"]
    assert (options["bucket_name"], options["location"], options["endpoint_url"]) == (
        BUCKET, PREFIX, "https://s3.example.vn")
    assert not options["file_overwrite"] and options["default_acl"] is None and options["querystring_auth"]


def test_local_files_and_the_static_storage_by_default(monkeypatch):
    monkeypatch.delenv("MEDIA_STORAGE", raising=False)
    assert storages_from_env(debug=True) == {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    assert storages_from_env(debug=False)["staticfiles"] == {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"}


def test_an_unknown_storage_refuses_to_start(monkeypatch):
    monkeypatch.setenv("MEDIA_STORAGE", "ftp")
    with pytest.raises(RuntimeError, match="MEDIA_STORAGE must be 'local' or 's3'"):
        storages_from_env(debug=False)
