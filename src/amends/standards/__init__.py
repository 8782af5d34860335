"""The standards as data: every criterion of the units a learner is judged on (criteria.py). Framework-free
and low in the layers, so observations and portfolios (assessment), practice and knowledge checks all read
the one catalogue."""
