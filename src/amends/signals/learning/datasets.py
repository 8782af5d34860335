"""Loaders for the labelled public data in ../shared/data (its README gives each set's source and licence).

Shared by training (only the sets whose licence allows a shipped model) and evaluation (every set).
"""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np


def _csv_rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def load_xci(data_dir: Path) -> list[dict[str, str]]:
    return _csv_rows(data_dir / "xci_complaint_severity" / "X-CI Dataset.csv")


def load_acl(data_dir: Path) -> tuple[list[str], np.ndarray, list[str]]:
    """complaints_acl2019: texts, labels, domains. Evaluation only: no licence for a shipped model."""
    with (data_dir / "complaints_acl2019" / "complaints-data.csv").open(encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    return [r[1] for r in rows], np.array([int(r[2]) for r in rows]), [r[3] for r in rows]


def load_payday_narratives(data_dir: Path) -> list[str]:
    """cfpb_payday_2023: real complaint narratives, email length (US public data)."""
    rows = _csv_rows(data_dir / "cfpb_payday_2023" / "complaints_small_sample_2023.csv")
    return [r["Consumer complaint narrative"] for r in rows]


def load_goemotions(data_dir: Path, split: str) -> tuple[list[str], list[set[str]]]:
    folder = data_dir / "goemotions"
    names = (folder / "labels.txt").read_text().split()
    texts, labels = [], []
    with (folder / f"{split}.tsv").open(encoding="utf-8") as f:
        next(f)  # header added by the copy in shared/data
        for line in f:
            text, label, _ = line.rstrip("\n").split("\t")
            texts.append(text)
            labels.append({names[int(k)] for k in label.split(",")})
    return texts, labels


def load_davidson(data_dir: Path) -> tuple[list[str], np.ndarray]:
    """Tweets and class: 0 hate, 1 offensive, 2 neither."""
    rows = _csv_rows(data_dir / "davidson_hate_offensive" / "labeled_data.csv")
    return [r["tweet"] for r in rows], np.array([int(r["class"]) for r in rows])


def load_cfpb(data_dir: Path) -> tuple[list[str], list[str]]:
    rows = _csv_rows(data_dir / "cfpb_5class_1000_llm" / "dataset.csv")
    return [r["narrative"] for r in rows], [r["product"] for r in rows]
