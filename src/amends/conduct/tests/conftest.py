import pytest

from amends.cases.tests.factories import make_case
from amends.conduct.hooks import support_needs


@pytest.fixture
def case(complaints_team, adviser):
    return make_case(team=complaints_team, owner=adviser, email="pat@example.com", name="Pat Shouter")


@pytest.fixture
def fake_support_needs():
    """The care app's answer, faked: this customer has support needs recorded."""
    marked: set[int] = set()

    def provider(customer):
        return "Large print; extra time (anxiety)" if customer.pk in marked else None

    support_needs.register(provider)
    yield marked
    support_needs.unregister(provider)
