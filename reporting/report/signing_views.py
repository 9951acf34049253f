"""Signing and issuing a finalised version in the browser (``reporting.report.issue`` has the rules).

Every step is a POST behind a confirmation on the page; a refusal comes back as a message in Vietnamese
and the version stays as it was.
"""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from reporting import access
from reporting.models import PendingSignature, ReportVersion, WorkflowError
from reporting.report import external, issue, signers, signing
from reporting.report.views import back_to_preview


def version_or_404(pk):
    return get_object_or_404(ReportVersion.objects.select_related("period__schedule", "first_period"), pk=pk)


@login_required
@require_POST
def sign(request, pk):
    """The signer signs with the key the server holds (their token on the server, or an HSM)."""
    version = version_or_404(pk)
    try:
        issue.sign_as_signer(version, request.user, mismatch_reason=request.POST.get("mismatch_reason", ""))
    except WorkflowError as error:
        messages.error(request, error.message)
    except signing.SigningError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"{version.person_signer} đã ký số báo cáo; bản này chờ văn thư cấp số và ban hành.")
    return back_to_preview(version.period, version.first_period)


@login_required
@require_POST
def issue_version(request, pk):
    """The records office numbers, dates and issues the signed version with the organisation's signature."""
    version = version_or_404(pk)
    try:
        issued_on = datetime.date.fromisoformat(request.POST.get("issued_on", ""))
        issue.issue(version, request.user, number=request.POST.get("number", ""), issued_on=issued_on)
    except ValueError:
        messages.error(request, "Ngày ban hành không hợp lệ.")
    except WorkflowError as error:
        messages.error(request, error.message)
    except signing.SigningError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"Đã ban hành báo cáo số {version.number}: đã in số, ngày và ký số của cơ quan.")
    return back_to_preview(version.period, version.first_period)


@login_required
@require_http_methods(["GET", "POST"])
def sign_external(request, pk):
    """The signer's own tool signs: the page gives the digest to sign and takes the CMS it returns."""
    version = version_or_404(pk)
    if not access.can_review(request.user):
        raise PermissionDenied("Chỉ cán bộ tổng hợp PC06 trình ký báo cáo tổng hợp.")
    if not version.awaits_signature:
        return back_to_preview(version.period, version.first_period)
    pending = PendingSignature.objects.filter(version=version).first()
    status = 200
    if request.method == "POST":
        try:
            if request.POST.get("step") == "prepare":
                certificate = request.FILES.get("certificate")
                pending = external.prepare(version, request.user,
                                           certificate=certificate.read() if certificate else b"",
                                           mismatch_reason=request.POST.get("mismatch_reason", ""))
                messages.success(request, "Đã chuẩn bị tệp: ký giá trị băm dưới đây bằng công cụ ký số của người ký.")
                return redirect("report_sign_external", pk=version.pk)
            if pending is None:
                raise WorkflowError("Tệp chờ ký đã hết hiệu lực; hãy chuẩn bị lại.")
            upload = request.FILES.get("signature")
            signature = upload.read() if upload else request.POST.get("signature_text", "").strip().encode()
            if not signature:
                raise WorkflowError("Chọn tệp chữ ký (.p7s) hoặc dán nội dung chữ ký mà công cụ ký trả về.")
            version = external.complete(pending, request.user, signature)
        except (WorkflowError, signing.SigningError) as error:
            messages.error(request, getattr(error, "message", str(error)))
            status = 400
        else:
            messages.success(request, f"{version.person_signer} đã ký số báo cáo; bản này chờ văn thư cấp số và "
                                      "ban hành.")
            return back_to_preview(version.period, version.first_period)
    return render(request, "report/sign_external.html", {
        "version": version, "pending": pending, "digest": external.to_sign(pending) if pending else None,
        "signer_line": signers.block_signer(version.document),
    }, status=status)
