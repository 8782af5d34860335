from amends.cases.events import describe, referenced_people


def test_events_read_as_sentences():
    names = {"people": {7: "Sam Okoro"}, "teams": {1: "Complaints"}}
    assert describe("status_changed", {"status": "new"}, {"status": "awaiting_customer"}, **names) == (
        "Status: New → Awaiting customer"
    )
    assert (
        describe("assigned", {"owner": None}, {"owner": 7, "team": 1}, **names)
        == "Assigned to Sam Okoro (Complaints)"
    )
    assert (
        describe("assigned", {"owner": 7}, {"owner": None, "team": 1}, **names)
        == "Unassigned (team Complaints)"
    )
    assert describe("reopened", {"status": "closed"}, {"status": "open"}, **names) == "Re-opened (was closed)"
    assert describe("contact_logged", None, {"channel": "phone", "direction": "in"}, **names) == (
        "Logged a phone call from the customer"
    )
    assert describe("acknowledgement_sent", None, {"message": 1}, **names) == "Sent the acknowledgement"
    assert describe(
        "reclassified",
        {"kind": "query", "category": "Fees", "product": ""},
        {"kind": "complaint", "category": "Fees", "product": "Credit card"},
        **names,
    ) == ("Reclassified from query to complaint, product Credit card")
    assert describe("something_new", None, None, **names) == "Something new"


def test_an_email_given_up_and_sent_again_read_as_sentences():
    names = {"people": {}, "teams": {}}
    not_sent = {"message": 1, "to": "pat@example.com", "attempts": 12, "error": "TimeoutError: timed out"}
    assert describe("email_not_sent", None, not_sent, **names) == (
        "Email to pat@example.com not sent: gave up after 12 attempts (TimeoutError: timed out)"
    )
    at_once = {"to": "pat@example.com", "attempts": 1, "error": ""}
    assert describe("email_not_sent", None, at_once, **names) == (
        "Email to pat@example.com not sent: gave up after 1 attempt"
    )
    same = describe("email_sent_again", {"to": "pat@example.com"}, {"to": "pat@example.com"}, **names)
    assert same == "Email queued again for pat@example.com"
    moved = describe("email_sent_again", {"to": "old@example.com"}, {"to": "new@example.com"}, **names)
    assert (
        moved == "Email queued again for new@example.com (the customer's address now; it was old@example.com)"
    )


def test_referenced_people_finds_owner_ids():
    class E:
        def __init__(self, before, after):
            self.before, self.after = before, after

    assert referenced_people([E({"owner": 3}, {"owner": 4}), E(None, {"status": "open"})]) == {3, 4}
