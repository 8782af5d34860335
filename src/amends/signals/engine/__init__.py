"""The signals engine: reading a customer's message and an adviser's draft, with no framework.

Nothing here imports Django or any other part of Amends (an import-linter contract checks it), so it can
be tested and benchmarked alone. `analyser.analyse(text, history)` is the one entry point for a message:
word rules (rules.py, with the RE2 prefilter in prefilter.py), the trained models (classifiers.py over
features.py and the shipped model.py, artifacts in artifacts/; optionally embeddings.py) and the history
(context.py). `coach.coach(draft, context)` reads a reply as the adviser types. Both skip quoted text and
respect negation the same way (text.py). Training and benchmarks live apart, in ../learning.
"""
