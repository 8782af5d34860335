"""The loaders on the real public data, where it is present."""

import pytest
from django.conf import settings

from amends.signals.learning import datasets
from amends.signals.learning.evaluation import RANDOM_DOMAINS

DATA = settings.SHARED_DATA_DIR


@pytest.mark.skipif(not DATA.is_dir(), reason=f"public data not present at {DATA}")
def test_loaders_read_the_real_data():
    texts, y, domains = datasets.load_acl(DATA)
    assert (len(texts), int(y.sum())) == (3449, 1232)
    assert sum(d not in RANDOM_DOMAINS for d in domains) == 1974
    assert len(datasets.load_xci(DATA)) == 3448
    assert len(datasets.load_davidson(DATA)[0]) == 24783
    assert len(datasets.load_cfpb(DATA)[0]) == 1000
    assert len(datasets.load_goemotions(DATA, "test")[0]) == 5427
