"""`amends problems group FILE.jsonl`: no database, one line per input in input order, bad lines refused."""

import io
import json

import pytest
from django.core.management import CommandError, call_command

from .test_grouping import APP, CARD


def _run(path, *args):
    out, err = io.StringIO(), io.StringIO()
    call_command("problems", "group", str(path), *args, stdout=out, stderr=err)
    return [json.loads(line) for line in out.getvalue().splitlines()], err.getvalue()


def test_group_prints_one_line_per_input_in_order_without_a_database(tmp_path):
    # No django_db mark: pytest-django fails any query, so this proves the database is never opened.
    lines = [
        {"id": f"m{i}", "text": t, "product": "Cards" if i < 5 else "App"} for i, t in enumerate(CARD + APP)
    ]
    path = tmp_path / "in.jsonl"
    path.write_text("\n".join(json.dumps(x) for x in lines) + "\n\n", encoding="utf-8")
    out, err = _run(path)
    assert [o["id"] for o in out] == [x["id"] for x in lines]
    assert set(out[0]) == {"id", "group"}
    assert not {o["group"] for o in out[:5]} & {o["group"] for o in out[5:]}
    groups = len({o["group"] for o in out})
    assert 2 <= groups <= 5  # two problems, never one group per message
    assert f"10 messages in {groups} groups" in err
    _, quiet = _run(path, "--json")
    assert quiet == ""


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ('{"id": 1, "text": "fine"}\nnot json\n', "line 2: not JSON"),
        (
            '{"id": 1, "text": "fine"}\n{"id": 2}\n',
            'line 2: each line must be a JSON object with a string "text"',
        ),
        ('{"text": "no id"}\n', 'line 1: no "id"'),
        ('{"id": 1, "text": "a"}\n{"id": 1, "text": "b"}\n', "line 2: the id 1 was on an earlier line"),
        ('{"id": 1, "text": "a", "product": 7}\n', 'line 1: "product" must be a string'),
        ("\n\n", "no lines to group"),
    ],
)
def test_a_bad_line_is_named_and_nothing_is_printed(tmp_path, content, message):
    path = tmp_path / "bad.jsonl"
    path.write_text(content, encoding="utf-8")
    out = io.StringIO()
    with pytest.raises(CommandError, match="nothing was grouped") as raised:
        call_command("problems", "group", str(path), stdout=out)
    assert message in str(raised.value)
    assert out.getvalue() == ""


def test_a_missing_file(tmp_path):
    with pytest.raises(CommandError, match="No file"):
        call_command("problems", "group", str(tmp_path / "absent.jsonl"))
