"""April 2024 on the real catalogs, a PC06 compiler who approves the units' months, and the report it issues."""

import pytest
from weasyprint import HTML

from reporting.choices import Role
from reporting.models import Agency, User
from reporting.periods import default_schedule
from reporting.report import issue

from .helpers import MAY_6, report, service_cells


@pytest.fixture
def april(catalogs):
    return default_schedule().period_for(2024, 4)


@pytest.fixture
def compiler(catalogs):
    return User.objects.create(username="pc06", role=Role.COMPILER, agency=Agency.objects.get(code="PC06"))


@pytest.fixture
def issued(april, compiler):
    report("CATP", april, service_cells(), compiler=compiler)
    return issue.finalise(april, compiler, number="264", issued_on=MAY_6)


@pytest.fixture(scope="module")
def report_pdf():
    """A one-page PDF for the signing and verification tests."""
    return HTML(string="<h1>BÁO CÁO</h1><p>Kết quả thực hiện Đề án 06 tháng 4/2024</p>").write_pdf()
