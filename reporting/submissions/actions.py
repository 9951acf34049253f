"""How a page runs a status change a person asked for: its refusal becomes the page's message, never an error.

PC06's review and the unit head's sign-off post the submission's version they saw; a stale version, a
refusal of the workflow and a malformed post each get their Vietnamese message.
"""

from django.contrib import messages

from reporting.models import StaleSubmission, WorkflowError


def attempt(request, act):
    """Call ``act(version)`` with the posted version; True when it was done, False after saying why not."""
    try:
        act(int(request.POST.get("version", "")))
    except StaleSubmission:
        messages.error(request, "Báo cáo vừa được người khác thay đổi; hãy xem lại trước khi thao tác.")
    except WorkflowError as error:
        messages.error(request, error.message)
    except ValueError:
        messages.error(request, "Yêu cầu không hợp lệ; tải lại trang rồi thử lại.")
    else:
        return True
    return False
