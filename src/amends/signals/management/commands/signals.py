"""`amends signals analyse | train | teach | distil | feedback-export`.

analyse: JSON lines `{"id": ..., "text": ...}` on stdin, one `{"id", "risk", "signals": [...]}` line out per
input, every type present and scored. train: rebuild the shipped models from ../shared/data. distil: rebuild
the static token vectors (engine/static.py) from all-MiniLM-L6-v2 (needs `make embeddings`). teach: compute
the complaint head's teacher labels (learning/teacher.py; needs `make embeddings`). feedback-export:
advisers' confirmations and dismissals, with the text and evidence, as JSON lines for retraining.
"""

from __future__ import annotations

import json
import sys
from datetime import datetime
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from amends.signals.engine.analyser import analyse, signal_to_dict
from amends.signals.engine.model import ARTIFACTS
from amends.signals.selectors import feedback_export

from ._jsonlines import run_lines

DEFAULT_DATA = settings.SHARED_DATA_DIR


class Command(BaseCommand):
    help = "Signals: analyse JSON lines, train the shipped models, export advisers' feedback"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="which", required=True)
        sub.add_parser("analyse", help="JSON lines {id, text} on stdin -> {id, risk, signals} on stdout")
        train = sub.add_parser("train", help="rebuild the shipped models from the licence-allowed data")
        train.add_argument("--data", default=str(DEFAULT_DATA), help="the shared data folder")
        train.add_argument("--out", default="", help="default: the package's artifacts folder")
        train.add_argument(
            "--heads",
            default="",
            choices=["", "abuse", "complaint"],
            help="refit only this head into the existing artifacts (the others' files are left as they are)",
        )
        teach = sub.add_parser(
            "teach", help="compute the complaint head's teacher labels with all-MiniLM-L6-v2 (about 30 min)"
        )
        teach.add_argument("--data", default=str(DEFAULT_DATA), help="the shared data folder")
        teach.add_argument("--out", default="", help="default: the committed file (learning/teacher.py)")
        distil = sub.add_parser("distil", help="rebuild the static token vectors from all-MiniLM-L6-v2")
        distil.add_argument("--out", default="", help="default: the package's artifacts folder")
        export = sub.add_parser("feedback-export", help="advisers' verdicts as JSON lines")
        export.add_argument("--since", default="", help="ISO date or time, e.g. 2026-11-01")

    def handle(self, *args, which, **o):
        if which == "analyse":
            return self._analyse()
        if which == "train":
            return self._train(Path(o["data"]), o["out"], o["heads"])
        if which == "distil":
            return self._distil(o["out"])
        if which == "teach":
            return self._teach(Path(o["data"]), o["out"])
        return self._export(o["since"])

    def _analyse(self):
        def handle(item: dict) -> dict:
            result = analyse(item["text"])
            return {"risk": result.risk, "signals": [signal_to_dict(s) for s in result.signals]}

        bad = run_lines(sys.stdin, self.stdout, handle, "text")
        if bad:
            raise CommandError(f"{bad} line(s) were not valid input; each has an error line in the output")

    def _train(self, data: Path, out: str, heads: str = ""):
        # scikit-learn: loaded only to train
        from amends.signals.learning.training import train_abuse_only, train_all, train_complaint_only

        if not data.is_dir():
            raise CommandError(f"No data folder at {data}: pass --data (see ../shared/data/README.md)")
        target = Path(out) if out else ARTIFACTS
        if heads and not (target / "vocab.npz").is_file():
            raise CommandError(f"--heads {heads} refits into existing artifacts; {target} has none")
        if heads == "abuse":
            summary = train_abuse_only(data, target, log=self.stdout.write)
        elif heads == "complaint":
            summary = train_complaint_only(data, target, log=self.stdout.write)
        else:
            summary = train_all(data, target, log=self.stdout.write)
        self.stdout.write(json.dumps(summary, indent=2, default=str))

    def _teach(self, data: Path, out: str):
        from amends.signals.engine.embeddings import available
        from amends.signals.learning import teacher  # scikit-learn: loaded only to train

        if not available():
            raise CommandError("teach reads all-MiniLM-L6-v2: install it first with `make embeddings`")
        if not data.is_dir():
            raise CommandError(f"No data folder at {data}: pass --data (see ../shared/data/README.md)")
        summary = teacher.build(data, Path(out) if out else teacher.LABELS, log=self.stdout.write)
        self.stdout.write(json.dumps(summary, indent=2))

    def _distil(self, out: str):
        from amends.signals.engine.embeddings import EmbeddingsUnavailable, available
        from amends.signals.learning.distil import distil  # scikit-learn: loaded only to distil

        if not available():
            raise CommandError("distil reads all-MiniLM-L6-v2: install it first with `make embeddings`")
        try:
            meta = distil(Path(out) if out else ARTIFACTS, log=self.stdout.write)
        except EmbeddingsUnavailable as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(json.dumps(meta, indent=2))

    def _export(self, since: str):
        when = None
        if since:
            try:
                when = datetime.fromisoformat(since)
            except ValueError as exc:
                raise CommandError(f"--since {since!r} is not an ISO date or time") from exc
            if timezone.is_naive(when):
                when = timezone.make_aware(when)
        for row in feedback_export(when):
            self.stdout.write(json.dumps(row, ensure_ascii=False))
