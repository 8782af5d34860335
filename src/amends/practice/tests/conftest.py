import pytest

from amends.core.models import StaffProfile


@pytest.fixture
def learner(case_handler, assessor):
    """Hal, the case handler, working towards the qualification with Ash as his assessor."""
    StaffProfile.objects.filter(user=case_handler).update(assessor=assessor)
    case_handler.staff.refresh_from_db()
    return case_handler
