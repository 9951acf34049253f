"""The page where anyone signed in checks a BÁO CÁO PDF's digital signature (“Xác minh chữ ký số”).

Open to every role: a leader or an officer receiving the report by e-mail must be able to
tell the signed original from an edited copy. Nothing uploaded here is stored.
"""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from reporting.formatting import format_number
from reporting.report import signing


@login_required
@require_http_methods(["GET", "POST"])
def verify(request):
    if request.method == "GET":
        return _page(request)
    upload = request.FILES.get("file")
    problem = _upload_problem(upload)
    if problem:
        return _page(request, error=problem, status=400)
    return _page(request, result=signing.verify_pdf(upload.read()), file_name=upload.name)


def _upload_problem(upload):
    """Why an upload cannot be verified, in Vietnamese; None when it can."""
    if upload is None:
        return "Chọn tệp PDF cần xác minh."
    limit = settings.EVIDENCE_MAX_BYTES
    if upload.size > limit:
        return (f"Tệp “{upload.name}” có dung lượng {format_number(upload.size / 1024 / 1024, 1)} MB, "
                f"vượt giới hạn {format_number(limit / 1024 / 1024)} MB.")
    upload.seek(0)
    header = upload.read(5)
    upload.seek(0)
    if header != b"%PDF-":
        return f"Tệp “{upload.name}” không phải là tệp PDF (kiểm tra theo nội dung tệp)."
    return None


def _page(request, status=200, **context):
    context["max_mb"] = format_number(settings.EVIDENCE_MAX_BYTES / 1024 / 1024)
    return render(request, "report/verify.html", context, status=status)
