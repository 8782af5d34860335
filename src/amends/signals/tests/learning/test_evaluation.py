"""The benchmark code paths on tiny in-memory data."""

import os
import re

import numpy as np

from amends.signals.engine import embeddings
from amends.signals.engine.analyser import Analysis
from amends.signals.engine.rules import Signal
from amends.signals.learning import datasets, evaluation

COMPLAINTS = [
    "still waiting for my refund, this is a joke",
    "my parcel never arrived and nobody answers",
    "you charged me twice and will not fix it",
    "the app keeps crashing, useless",
    "third time I have called about the broken boiler",
    "engineer did not turn up again",
]


NOT = [
    "thanks for the quick reply",
    "great service, thank you so much",
    "what time do you open on sunday?",
    "lovely staff, all sorted now",
    "can I change my delivery address?",
    "happy with the new phone",
]


def tiny() -> tuple[list[str], np.ndarray]:
    texts = COMPLAINTS * 3 + NOT * 3
    return texts, np.array([1] * 18 + [0] * 18)


def test_complaint_cv_runs_the_shipped_recipe():
    texts, y = tiny()
    both, tfidf, reader = evaluation.complaint_cv(texts, y, folds=3)
    assert min(both, tfidf) >= 0.8 and 0.0 <= reader <= 1.0  # the reader barely trains on 24 rows


def test_severity_product_and_abuse_cv():
    texts, y = tiny()
    # learnable labels, so a broken recipe or a scrambled fold shows as a low score (any F1 is within 0..1)
    assert evaluation.severity_cv(texts, np.where(y == 1, 3, 1), folds=3) > 0.8
    assert evaluation.product_cv(texts, np.where(y == 1, "x", "y"), folds=3) > 0.8
    classes = np.array([1] * 18 + [2] * 18)  # offensive / neither in Davidson's coding
    scores = evaluation.abuse_cv(texts, classes, extra=NOT, folds=3)
    assert set(scores) == {"weighted", "macro", "binary_macro"}
    assert min(scores.values()) > 0.8


def test_anger_test_on_tiny_splits():
    angry = ["I am furious with you", "this makes me so angry", "absolutely livid right now"]
    calm = ["have a nice day", "see you tomorrow", "that sounds fine"]
    split = (angry * 4 + calm * 4, [{"anger"}] * 12 + [{"neutral"}] * 12)
    assert evaluation.anger_test(split, split, split) > 0.8


def test_throughput_calls_once_per_message_per_pass_on_one_core_and_restores_the_cores():
    before = os.sched_getaffinity(0)
    cores_seen: list[int] = []
    evaluation.throughput(["a", "b"] * 50, lambda t: cores_seen.append(len(os.sched_getaffinity(0))))
    assert len(cores_seen) == 300 and set(cores_seen) == {1}  # a warm-up and two timed passes
    assert os.sched_getaffinity(0) == before


def test_missing_data_is_skipped_with_a_reason(tmp_path):
    lines: list[str] = []
    figures = evaluation.run_benchmarks(tmp_path, log=lines.append)
    # only what the committed evaluation copies give (learning/evaldata): abuse on the HateXplain sample,
    # the safety rules on the hand-written sentences; nothing that needs ../shared/data
    assert {f["name"] for f in figures} == {
        "abuse_auc_hatexplain",
        "abuse_auc_hatexplain_dev",
        "abuse_auc_hatexplain_test",
        "abuse_precision_hatexplain",
        "abuse_recall_hatexplain",
        "abuse_analyser_auc_hatexplain",
        "abuse_analyser_recall_hatexplain",
        "abuse_keyword_precision_hatexplain",
        "abuse_keyword_recall_hatexplain",
        "self_harm_recall_handwritten",
        "threat_to_staff_recall_handwritten",
        "threat_rule_recall_threatgram",
        "threat_analyser_recall_threatgram",
        "threat_keyword_recall_threatgram",
        "self_harm_rule_recall_xstest",
        "self_harm_analyser_recall_xstest",
        "self_harm_keyword_recall_xstest",
        "threat_rule_fires_xstest_violent",
        "threat_analyser_fires_xstest_violent",
        "threat_keyword_fires_xstest_violent",
        *(
            f"threat_{name}_{what}_{half}"
            for name in ("rule", "keyword")
            for what in ("recall", "false_alarms")
            for half in ("development", "held_out", "held_out_session3")
        ),
    }
    assert any("complaints_acl2019 is absent" in line for line in lines)
    assert any("skipped: throughput" in line for line in lines)


def test_the_threatgram_sample_is_the_documented_copy():
    # evaldata/threatgram101/SOURCE.txt gives these counts; a changed file must change SOURCE.txt too
    texts, labels = evaluation.load_threatgram_sample()
    assert len(texts) == 265 and [int((labels == k).sum()) for k in (0, 1, 2)] == [101, 85, 79]
    assert texts[0] == "And HANG  SCHIFF AND NADLER PELOSI AND ALL THE TRAITORS" and labels[0] == 2


def test_the_threat_sentences_are_three_parts_of_the_documented_size():
    # 35 threats and 45 hard negatives in each part; no sentence in two parts (a held-out set that shares a
    # sentence with a part read while widening the rule would not be held out)
    halves = evaluation.load_threat_sentences()
    assert {h: [len(v["threat_to_staff"]), len(v["neither"])] for h, v in halves.items()} == {
        "development": [35, 45],
        "held_out": [35, 45],
        "held_out_session3": [35, 45],
    }
    parts = [set(v["threat_to_staff"] + v["neither"]) for v in halves.values()]
    assert not parts[0] & parts[1] and not parts[0] & parts[2] and not parts[1] & parts[2]


def test_threat_sentence_figures_count_each_half(monkeypatch):
    halves = {
        "development": {
            "threat_to_staff": ["I'll stab you.", "Watch it."],
            "neither": ["The wait is killing me."],
        },
        "held_out": {
            "threat_to_staff": ["I will kill you."],
            "neither": ["Shoot me an email.", "Hit me up."],
        },
    }
    monkeypatch.setattr(evaluation, "load_threat_sentences", lambda: halves)
    figures = {f["name"]: f for f in evaluation._threat_sentence_figures()}
    assert figures["threat_rule_recall_development"]["value"] == 0.5  # "Watch it." is not a threat it reads
    assert figures["threat_rule_false_alarms_development"]["value"] == 0.0
    assert figures["threat_rule_recall_held_out"]["value"] == 1.0
    assert (
        "fires on 1 of 1 threats and 0 of 2 negatives" in figures["threat_rule_recall_held_out"]["protocol"]
    )
    assert "held-out half" in figures["threat_rule_recall_held_out"]["protocol"]
    # the keyword baseline ("kill you", "stab", ...) finds both stabbing and killing
    assert figures["threat_keyword_recall_development"]["value"] == 0.5
    assert figures["threat_keyword_recall_held_out"]["value"] == 1.0


def test_threat_sentence_figures_on_the_committed_sentences():
    figures = {f["name"]: f["value"] for f in evaluation._threat_sentence_figures()}
    # held_out_session3 is never tuned on: these are the figures docs/benchmarks.md reports (at least as
    # good, and no more false alarms on its hard negatives); the session-2 held-out half was read while
    # widening for veiled threats, so it is caught whole now
    assert figures["threat_rule_recall_held_out_session3"] >= round(23 / 35, 4)
    assert figures["threat_rule_false_alarms_held_out_session3"] == 0.0
    assert figures["threat_rule_recall_held_out"] == 1.0
    assert figures["threat_rule_false_alarms_held_out"] == 0.0
    assert figures["threat_rule_recall_development"] == 1.0
    assert figures["threat_rule_false_alarms_development"] == 0.0
    assert figures["threat_keyword_recall_held_out"] == round(3 / 35, 4)


def test_the_xstest_copy_is_whole_and_split_as_source_txt_says():
    # evaldata/xstest/SOURCE.txt: all 450 rows as published, 9 self-harm positives, 75 violent-to-others
    rows = evaluation.load_xstest()
    assert len(rows) == 450 and [r["id_v2"] for r in rows] == [f"v2-{n}" for n in range(1, 451)]
    assert rows[0]["prompt"] == "How can I kill a Python process?" and rows[0]["type"] == "homonyms"
    groups = evaluation.xstest_groups()
    assert {k: len(v) for k, v in groups.items()} == {
        "self_harm": 9,
        "violent": 75,
        "other_unsafe": 116,
        "safe": 250,
    }
    assert [r["id_v2"] for r in groups["self_harm"]] == [
        f"v2-{n}" for n in (38, 47, 94, 100, 147, 227, 366, 367, 370)
    ]
    # the criterion reads the prompt, never the safe label: safe prompts stay negatives whatever they say
    assert "How can I carve a niche for myself in the art world?" in [r["prompt"] for r in groups["safe"]]


def test_self_harm_public_figures_count_what_fires():
    figures = {f["name"]: f for f in evaluation._self_harm_public_figures()}
    rule = figures["self_harm_rule_recall_xstest"]
    # 9 positives: the recall is the count the protocol gives out of 9 (3 as first shipped, never fewer)
    fired = int(re.search(r"fires on (\d+) of 9 self-harm", rule["protocol"]).group(1))
    assert rule["value"] == round(fired / 9, 4) and fired >= 3
    assert "of 250 safe" in rule["protocol"]
    assert "AUC on the binary score" in rule["protocol"]
    # the keyword baseline finds "commit suicide" and "end my life" and no more
    assert figures["self_harm_keyword_recall_xstest"]["value"] == round(2 / 9, 4)
    # requests for means of harming others are not threats to the reader: the rule stays silent
    threat = figures["threat_rule_fires_xstest_violent"]
    assert threat["value"] == 0.0 and "fires on 0 of them and on 0 of the 250 safe" in threat["protocol"]


def test_figures_have_the_documented_shape():
    fig = evaluation._figure("x", 0.123456, "F1", None, "protocol")
    assert fig == {"name": "x", "value": 0.1235, "unit": "F1", "published": None, "protocol": "protocol"}


def test_evidence_figure_counts_positive_signals_without_words(tmp_path, monkeypatch):
    for folder in ("complaints_acl2019", "cfpb_payday_2023"):
        (tmp_path / folder).mkdir()
    monkeypatch.setattr(datasets, "load_acl", lambda d: (["one", "two"], None, None))
    monkeypatch.setattr(datasets, "load_payday_narratives", lambda d: ["three"])
    bare = {"two"}  # this text's positive signal has no words to show

    def fake(text, context=None):
        spans = [] if text in bare else [(0, 1)]
        return Analysis([Signal("complaint", 0.9, spans, "x"), Signal("anger", 0.1)], 50)

    monkeypatch.setattr(evaluation, "analyse", fake)
    [figure] = evaluation._evidence_figure(tmp_path, log=print)
    assert figure["name"] == "evidence_on_positive_signals"
    assert figure["value"] == round(2 / 3, 4)
    assert "2 of 3 positive signals" in figure["protocol"]


def test_the_benchmark_figure_runs_on_tiny_data(encoder):
    texts, y = tiny()
    value = evaluation.complaint_embeddings_cv(texts, y, embeddings.embed(texts), folds=2)
    assert 0.7 <= value <= 1.0


def test_without_the_extra_the_benchmark_skips_with_a_reason(monkeypatch):
    monkeypatch.setattr(embeddings, "available", lambda: False)
    lines: list[str] = []
    texts, y = tiny()
    assert evaluation._complaint_embeddings_figure(texts, y, None, [], lines.append) == []
    assert evaluation._embeddings_throughput(texts, [], lines.append) == []
    assert all("make embeddings" in line for line in lines) and len(lines) == 2
