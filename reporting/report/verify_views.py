"""The public page where anyone checks a BÁO CÁO PDF's digital signatures (“Xác minh chữ ký số”).

Open without signing in: whoever received the report by e-mail must be able to tell the
signed original from an edited copy. Nothing uploaded here is stored. Verifying costs the
server a PDF parse and a certificate validation, so each client address gets RATE_LIMIT
verifications per RATE_WINDOW seconds; the count lives in the cache, and a cache that
cannot be reached (Redis down) lets the verification through rather than refuse everyone.
"""

import logging

from axes.helpers import get_client_ip_address
from django.conf import settings
from django.core.cache import cache
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from reporting.formatting import format_number
from reporting.report import verification

logger = logging.getLogger(__name__)

RATE_LIMIT = 20
RATE_WINDOW = 10 * 60


@require_http_methods(["GET", "POST"])
def verify(request):
    if request.method == "GET":
        return _page(request)
    if _over_limit(request):
        return render(request, "report/verify_limited.html", {"minutes": RATE_WINDOW // 60}, status=429)
    upload = request.FILES.get("file")
    problem = _upload_problem(upload)
    if problem:
        return _page(request, error=problem, status=400)
    data = upload.read()
    version = verification.issued_version(data)
    return _page(request, result=verification.verify_pdf(data), file_name=upload.name, registered=version,
                 registration=verification.registration_message(version))


def _over_limit(request):
    """Whether this address has used up its verifications of the current window; False when the cache fails."""
    # The address as the login lockout reads it (django-axes and ipware, behind TRUSTED_PROXY_COUNT proxies).
    key = f"verify-signature:{get_client_ip_address(request) or 'unknown'}"
    try:
        cache.add(key, 0, RATE_WINDOW)
        count = cache.incr(key)
    except Exception:  # the count is a guard, not the service: a cache outage must not stop a verification
        logger.warning("Verification rate limit not applied: the cache is unavailable", exc_info=True)
        return False
    return count > RATE_LIMIT


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
