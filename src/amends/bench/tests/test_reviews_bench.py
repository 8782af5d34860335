"""`amends bench reviews`: a row per method, with the figures it says it prints."""

from amends.bench import reviews


def test_each_method_has_its_false_alarms_and_detection():
    rows = reviews.measure(years=1)
    assert [r["name"] for r in rows] == ["poisson", "ewma", "cusum"]
    for row in rows:
        assert row["checks"] == 20 * 52 and row["false_alarms"] <= 2
        assert row["caught_x3"] >= 0.9 and row["weeks_to_catch_x3"] <= 2
