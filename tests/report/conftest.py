"""April 2024 on the real catalogs, and a PC06 compiler who approves the units' months."""

import pytest

from reporting.choices import Role
from reporting.models import Agency, User
from reporting.periods import default_schedule


@pytest.fixture
def april(catalogs):
    return default_schedule().period_for(2024, 4)


@pytest.fixture
def compiler(catalogs):
    return User.objects.create(username="pc06", role=Role.COMPILER, agency=Agency.objects.get(code="PC06"))
