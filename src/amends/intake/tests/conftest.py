import pytest

from amends.cases import hooks
from amends.process.services import clocks_follow_status


@pytest.fixture
def clocks_listen():
    """Process's clocks listening to cases' status hook, as process's `ready()` registers them. Registered
    here only while nothing listens, so intake's tests of clocks hold before and after that registration
    lands (and a listener is never called twice)."""
    added = len(hooks.status_listeners) == 0
    if added:
        hooks.status_listeners.register(clocks_follow_status)
    yield
    if added:
        hooks.status_listeners.unregister(clocks_follow_status)
