import hashlib

import pytest

INBOUND_SECRET = "inbound-secret-for-the-tests-0123456789"


@pytest.fixture
def inbound_secret(settings):
    """The email provider's credential for POST /inbound/email, as an operator sets it."""
    settings.AMENDS_INBOUND_EMAIL_SECRET = INBOUND_SECRET
    return INBOUND_SECRET


@pytest.fixture(scope="session")
def dovecot():
    """A real IMAP server on loopback for the session (dovecot.py)."""
    from .dovecot import dovecot_binary, dovecot_missing, dovecot_start, dovecot_stop

    binary = dovecot_binary()
    if binary is None:
        dovecot_missing()
    process, server, root = dovecot_start(binary)
    yield server
    dovecot_stop(process, root)


@pytest.fixture
def imap_user(dovecot, request):
    """This test's own mail account on the server: a user name no other test uses, an empty maildir."""
    return "t" + hashlib.sha256(request.node.nodeid.encode()).hexdigest()[:16]


@pytest.fixture
def imap(dovecot, imap_user):
    """The test's own connection to its account, to deliver email (APPEND) and see what Amends did."""
    from imapclient import IMAPClient

    client = IMAPClient(dovecot.host, port=dovecot.imap_port, ssl=False, timeout=30)
    client.login(imap_user, dovecot.password)
    yield client
    client.logout()


@pytest.fixture
def make_mailbox(dovecot, imap_user, monkeypatch):
    """A Mailbox row for the test's account, its password in the environment variable it names."""
    from amends.intake.mailboxes import mailbox_add
    from amends.intake.schemas import MailboxIn

    monkeypatch.setenv("AMENDS_TEST_IMAP_PASSWORD", dovecot.password)

    def make(**settings):
        fields = {
            "name": f"Complaints {imap_user}",
            "host": dovecot.host,
            "port": dovecot.imap_port,
            "security": "none",
            "username": imap_user,
            "password_env": "AMENDS_TEST_IMAP_PASSWORD",
            **settings,
        }
        return mailbox_add(data=MailboxIn(**fields), actor=None)

    return make
