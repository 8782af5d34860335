"""`amends demo_inbox`: the demo's social media and chat inbox keeps what the worker posts it, signed with
the demo integration's secret, once a reply; it refuses anything unsigned."""

import json
import threading
import urllib.error
import urllib.request

import pytest
from django.utils import timezone

from amends.demo.generate import DEMO_INBOX
from amends.demo.management.commands.demo_inbox import inbox_server
from amends.messaging.integrations import integration_add
from amends.messaging.models import Message
from amends.messaging.schemas import IntegrationIn
from amends.messaging.services import message_send
from amends.messaging.tasks import send_outbox
from amends.messaging.tests.channels import contact_case


@pytest.fixture
def inbox(tmp_path):
    server = inbox_server(0, tmp_path / "webhooks")
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/replies", tmp_path / "webhooks"
    server.shutdown()
    server.server_close()


@pytest.mark.django_db(transaction=True)
def test_the_demo_inbox_keeps_each_signed_reply_once_and_refuses_the_unsigned(
    inbox, complaints_team, admin_user, adviser
):
    url, folder = inbox
    case = contact_case("social", "x:7", handle="@sam")
    integration_add(data=IntegrationIn(name=DEMO_INBOX, channels=["social"], url=url), actor=admin_user)
    reply = message_send(case=case, actor=adviser, body="Engineer on Tuesday.")

    assert send_outbox(timezone.now()) == 1
    kept = json.loads((folder / f"{reply.pk}.json").read_text())
    assert (kept["text"], kept["to"], kept["in_reply_to"]) == ("Engineer on Tuesday.", "@sam", "x:7")
    assert Message.objects.get(pk=reply.pk).delivery == "sent"

    forged = urllib.request.Request(url, data=b'{"message_id": 1}', method="POST")  # noqa: S310 - loopback
    forged.add_header("Amends-Signature", "t=1,v1=00")
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(forged, timeout=5)  # noqa: S310 - loopback
    assert refused.value.code == 401
    assert [p.name for p in folder.iterdir()] == [f"{reply.pk}.json"]
