"""The webhook signature: a known vector (computed apart, with `openssl dgst -sha256 -hmac`), and what a
receiver's check refuses."""

from amends.messaging import signing

SECRET = "whsec_test_0123456789abcdef0123"
BODY = b'{"message_id":1,"text":"Hello"}'
# printf '%s' '1700000000.{"message_id":1,"text":"Hello"}' | openssl dgst -sha256 -hmac "$SECRET"
KNOWN = "7cc471e08c933158246a617c07e9d04c11a9d92ae1d98c5043f57f48ee60d951"


def test_the_signature_of_a_known_vector():
    assert signing.signature(SECRET, 1700000000, BODY) == KNOWN
    assert signing.sign(SECRET, 1700000000, BODY) == f"t=1700000000,v1={KNOWN}"


def test_a_receiver_accepts_the_header_as_sent_within_the_tolerance():
    header = f"t=1700000000,v1={KNOWN}"
    assert signing.verify(SECRET, header, BODY, now=1700000000)
    assert signing.verify(SECRET, header, BODY, now=1700000000 + 300)
    assert signing.verify(SECRET, f"t=1700000000, v1=deadbeef, v1={KNOWN}", BODY, now=1700000001)


def test_a_receiver_refuses_another_body_secret_time_or_a_malformed_header():
    header = f"t=1700000000,v1={KNOWN}"
    assert not signing.verify(SECRET, header, BODY + b" ", now=1700000000)
    assert not signing.verify(SECRET + "x", header, BODY, now=1700000000)
    assert not signing.verify(SECRET, header, BODY, now=1700000000 + 301)  # replayed later
    assert not signing.verify(SECRET, f"t=1700000001,v1={KNOWN}", BODY, now=1700000001)  # time changed
    for bad in ("", f"v1={KNOWN}", "t=1700000000", f"t=abc,v1={KNOWN}", f"t=1700000000,v0={KNOWN}"):
        assert not signing.verify(SECRET, bad, BODY, now=1700000000), bad
