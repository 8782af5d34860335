"""The experiment harness behind docs/benchmarks.md (issue 13): the storage variants read back as the runtime
reads the shipped table, and the distillation pool is deterministic and never holds a benchmark tweet."""

import numpy as np
from django.conf import settings

from amends.signals.engine import static
from amends.signals.learning import experiments

DATA = settings.SHARED_DATA_DIR


def test_stored_tables_read_back_as_the_runtime_reads_them():
    rng = np.random.default_rng(3)
    table = (rng.normal(size=(40, 8)) * np.geomspace(2.0, 0.05, 8)).astype(np.float32)
    assert experiments.stored(table, "float") is table
    int8 = experiments.stored(table, "int8")
    four = experiments.stored(table, "4bit")
    assert int8.shape == four.shape == table.shape
    assert np.abs(int8 - table).max() < np.abs(four - table).max() < 0.5
    assert len(np.unique(four[:, 0] / four[:, 0].std())) <= 15 * 40  # 15 levels a row at most


def test_the_shipped_table_holds_4_bit_numbers():
    """What distil stored and the runtime decodes: each number, divided by its column's and its row's scale,
    is a whole number in -7..7; the [unusedN] rows are zero."""
    encoder = static.load_static()
    with np.load(static.ARTIFACTS / static.ARTIFACT) as z:
        assert z["rows4"].dtype == np.uint8 and z["rows4"].shape == (30522, encoder.dim // 2)
        column, scale = z["column"], z["scale"]
    live = np.abs(encoder.table).max(1) > 0
    assert live.sum() == 30522 - encoder.meta["unused_rows_zero"]
    q = encoder.table / column[None, :] / scale[:, None]
    assert np.allclose(q, np.round(q), atol=1e-3) and np.abs(q).max() <= 7 + 1e-3
