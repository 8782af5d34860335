from .fixtures import book, fca_history, hos_history  # noqa: F401  (the fixture histories, shared with e2e)
