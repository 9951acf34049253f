"""April 2024 on the real catalogs, a PC06 compiler who approves the units' months, and the report it issues:
finalised by the compiler, signed by the director the signature block names, issued by the records office."""

import pytest
import typst
from django.utils import timezone

from reporting.choices import Role
from reporting.models import Agency, User
from reporting.periods import default_schedule
from reporting.report import issue

from .helpers import BLOCK_SIGNER, report, service_cells  # noqa: F401 (BLOCK_SIGNER: the tests import it here)


@pytest.fixture
def april(catalogs):
    return default_schedule().period_for(2024, 4)


@pytest.fixture
def compiler(catalogs):
    return User.objects.create(username="pc06", role=Role.COMPILER, agency=Agency.objects.get(code="PC06"))


@pytest.fixture
def clerk(catalogs):
    """PC06's records office (văn thư): numbers, dates and issues the signed report."""
    return User.objects.create(username="vanthu", role=Role.COMPILER, agency=Agency.objects.get(code="PC06"),
                               records_office=True)


@pytest.fixture
def finalised(april, compiler):
    report("CATP", april, service_cells(), compiler=compiler)
    return issue.finalise(april, compiler)


@pytest.fixture
def issued(finalised, compiler, clerk, keys):
    """Finalised, signed by the director on the server's key, numbered 264 and issued today."""
    issue.sign_as_signer(finalised, compiler)
    return issue.issue(finalised, clerk, number="264", issued_on=timezone.localdate())


@pytest.fixture(scope="module")
def report_pdf():
    """A one-page PDF for the signing and verification tests."""
    return typst.compile("= BÁO CÁO\nKết quả thực hiện Đề án 06 tháng 4/2024".encode())
