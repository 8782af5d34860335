"""Fixtures the signals tests share."""

import pytest

from amends.signals.engine import embeddings


@pytest.fixture(scope="module")
def encoder() -> embeddings.Encoder:
    try:
        return embeddings.encoder()
    except embeddings.EmbeddingsUnavailable as exc:
        pytest.fail(f"the embeddings extra is missing ({exc}): run make embeddings")
