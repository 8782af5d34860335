"""Offline learning for the signals: training the shipped models and benchmarking them, with scikit-learn.

Nothing here runs in the product. datasets.py reads the labelled public data, recipes.py fits each head
(the same recipe in training and in every evaluation fold), training.py writes ../engine/artifacts, which
the engine reads with numpy alone, and evaluation.py produces the figures in docs/benchmarks.md. Builds on
the engine (its features and model) and imports no web framework (an import-linter contract checks it).
"""
