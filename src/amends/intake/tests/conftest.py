import pytest

INBOUND_SECRET = "inbound-secret-for-the-tests-0123456789"


@pytest.fixture
def inbound_secret(settings):
    """The email provider's credential for POST /inbound/email, as an operator sets it."""
    settings.AMENDS_INBOUND_EMAIL_SECRET = INBOUND_SECRET
    return INBOUND_SECRET
