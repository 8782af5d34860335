"""The grouping on its own: representation, batch grouping (the number of groups chosen by the data),
incremental assignment."""

import numpy as np
import pytest

from amends.problems.grouping import Concatenated, Grouper, Lsa, Static, group, represent

CARD = [
    "My card was declined at the shop even though I have money in the account",
    "Card declined again at the supermarket, there is plenty of money in my account",
    "Why was my debit card declined at the petrol station? The account has money",
    "The card machine declined my card twice today although my account is in credit",
    "Declined card at the checkout, embarrassing, my account has funds",
]
APP = [
    "The mobile app crashes every time I try to log in since the update",
    "Since the latest update the banking app crashes when I log in",
    "Your app keeps crashing at the login screen after updating",
    "After the app update I cannot log in, it crashes straight away",
    "App crashes on login since yesterday's update, please fix it",
]
FEES = [
    "I was charged an overdraft fee I was never told about",
    "An unexpected overdraft fee was charged to my account without warning",
    "You charged me overdraft fees without telling me first",
    "Overdraft fee taken from my account, nobody told me about this charge",
    "Why is there an overdraft fee on my statement? I was not warned",
]


def test_represent_rows_are_unit_length_and_similar_texts_are_closer():
    rows = represent(CARD + APP)
    assert rows.dtype == np.float32 and rows.shape[0] == 10
    assert np.allclose(np.linalg.norm(rows, axis=1), 1.0, atol=1e-5)
    within = float(rows[0] @ rows[1])
    across = float(rows[0] @ rows[5])
    assert within > across


def _pure(found, themes):
    """No group holds messages of two themes."""
    owner = {}
    for label, theme in zip(found, themes, strict=True):
        assert owner.setdefault(label, theme) == theme, f"group {label} mixes {owner[label]} and {theme}"


def test_batch_grouping_finds_the_problems_without_being_told_how_many():
    texts = CARD + APP + FEES
    themes = ["card"] * 5 + ["app"] * 5 + ["fees"] * 5
    found = group(texts)
    assert len(found) == 15 and found[0] == 0  # numbered in order of first appearance
    _pure(found, themes)
    assert (
        3 <= len(set(found)) <= 7
    )  # the three problems, split at most in pairs: never one group per message


def test_product_features_bring_messages_about_one_product_closer():
    texts = CARD + APP
    products = [{"product": "Debit card"}] * 5 + [{"product": "Mobile app"}] * 5
    grouper = Grouper()
    grouper.fit(texts, products)
    rows = grouper.vectors(texts, products)
    plain = grouper.rep.transform(texts)
    assert float(rows[3] @ rows[4]) > float(plain[3] @ plain[4])
    assert float(rows[3] @ rows[5]) < float(rows[3] @ rows[4])
    unknown = grouper.vectors([CARD[0]], [{"product": "Never seen"}])
    assert np.allclose(np.linalg.norm(unknown, axis=1), 1.0, atol=1e-5)


def test_incremental_assignment_joins_the_nearest_group_or_starts_a_new_one():
    grouper = Grouper()
    labels = grouper.fit(CARD[:4] + APP[:4] + FEES[:4])
    before = grouper.counts.copy()
    card, app, fees = grouper.assign([CARD[4], APP[4], FEES[4]])
    # each joins a group of its own theme (a theme may be split in two at this size)
    assert card in set(labels[0:4]) and app in set(labels[4:8]) and fees in set(labels[8:12])
    assert grouper.counts[card] == before[card] + 1  # the centroid moved with its new member
    new = grouper.assign(["Parcel lost by the courier, delivery never arrived"])
    assert new == [len(before)]  # nothing like it before: a new group
    # A word the batch never saw has no place in its LSA space: until the next full regrouping each such
    # message starts its own group (a static embedding would know the words; docs/design/problems.md).
    assert grouper.assign(["The courier lost my parcel, no delivery"]) == [len(before) + 1]
    regrouped = Grouper().fit(CARD + APP + ["Parcel lost by the courier", "The courier lost my parcel"])
    assert regrouped[10] == regrouped[11]


def test_a_tiny_or_empty_batch():
    assert group(["only one"]) == [0]
    assert len(group(["one thing", "something else entirely"])) == 2
    with pytest.raises(ValueError, match="nothing to group"):
        group([])
    assert group(["", ""]) in ([0, 0], [0, 1])


def test_assigning_before_fitting_is_refused():
    with pytest.raises(ValueError, match="not fitted"):
        Grouper().assign(["text"])


def test_a_static_representation_plugs_in_and_concatenates():
    def encode(texts):  # a stand-in for signals' static embedding: two features
        return np.array([[t.count("card"), t.count("app")] for t in texts], dtype=np.float32) + 0.01

    static = Static(encode).fit(CARD)
    rows = static.transform(CARD + APP)
    assert np.allclose(np.linalg.norm(rows, axis=1), 1.0, atol=1e-5)
    both = Concatenated([(Lsa(), 1.0), (Static(encode), 1.0)]).fit(CARD + APP)
    combined = both.transform(CARD + APP)
    assert combined.shape[1] > 2 and np.allclose(np.linalg.norm(combined, axis=1), 1.0, atol=1e-5)


def test_one_message_at_a_time_gives_the_rows_a_batch_does():
    lsa = Lsa().fit(CARD + APP + FEES)
    batch = lsa.transform((CARD + APP + FEES) * 5)  # 75 texts: scikit-learn's own transform
    for i, text in enumerate(CARD + APP + FEES):
        assert np.allclose(lsa.transform([text])[0], batch[i], atol=1e-5)
    assert not lsa.transform(["zzz qqq"]).any()  # no known word: a zero row
