"""`amends bench problems` on a small labelled folder shaped like ../shared/data (no database needed)."""

import csv
import io
import json

import pytest
from django.core.management import CommandError, call_command

from amends.problems.tests.test_grouping import APP, CARD, FEES

COLUMNS = ["Date received", "Product", "Sub-product", "Issue", "Sub-issue", "Consumer complaint narrative"]


def _folder(tmp_path):
    payday = tmp_path / "cfpb_payday_2023"
    payday.mkdir()
    with (payday / "complaints_small_sample_2023.csv").open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=COLUMNS)
        writer.writeheader()
        for issue, product, texts in (
            ("Card", "Debit", CARD),
            ("App", "Online", APP),
            ("Fees", "Overdraft", FEES),
        ):
            for text in texts * 2:
                writer.writerow(
                    {"Issue": issue, "Sub-product": product, "Consumer complaint narrative": text}
                )
    return tmp_path


def test_the_figures_name_ours_beside_the_baseline_with_the_same_number_of_groups(tmp_path):
    out, err = io.StringIO(), io.StringIO()
    call_command(
        "bench",
        "problems",
        "--json",
        "--data",
        str(_folder(tmp_path)),
        "--size",
        "300",
        stdout=out,
        stderr=err,
    )
    figures = {f["name"]: f for f in json.loads(out.getvalue())}
    ours, base = figures["ours_cfpb_payday_2023"], figures["baseline_cfpb_payday_2023"]
    assert ours["groups"] == base["groups"] and ours["n"] == 30
    assert 0 <= base["nmi"] <= 1 and ours["nmi"] > 0.5  # three clear problems: found
    assert (
        figures["ours_text_only_cfpb_payday_2023"]["groups"]
        == figures["baseline_text_only_cfpb_payday_2023"]["groups"]
    )
    speed = figures["incremental_assignment"]
    assert speed["n"] == 15 and speed["value"] > 0 and speed["unit"] == "messages/s"
    regroup = figures["full_regroup_300"]
    assert regroup["n"] == 300 and regroup["distinct_texts"] == 30
    assert "skipped: no cfpb_5class_1000_llm" in err.getvalue()  # a missing set is said, not hidden


def test_no_data_folder_or_no_texts_gives_no_figure(tmp_path):
    with pytest.raises(CommandError, match="No data folder"):
        call_command("bench", "problems", "--data", str(tmp_path / "absent"))
    with pytest.raises(CommandError, match="no figure: no public texts"):
        call_command("bench", "problems", "--data", str(tmp_path), stdout=io.StringIO())
