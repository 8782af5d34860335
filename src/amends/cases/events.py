"""Case events in plain words, for the timeline. Framework-free: names come in as dictionaries."""

from __future__ import annotations

from .lifecycle import LABELS, Status

CHANNEL_WORDS = {
    "phone": "a phone call",
    "face_to_face": "a face-to-face conversation",
    "letter": "a letter",
}
DIRECTION_WORDS = {"in": "from the customer", "out": "to the customer"}


def _status(value: object) -> str:
    try:
        return LABELS[Status(str(value))]
    except ValueError:
        return str(value)


def describe(kind: str, before: dict | None, after: dict | None, *, people: dict, teams: dict) -> str:
    before, after = before or {}, after or {}
    if kind == "opened":
        return f"Opened as a {after.get('kind', 'case')} ({str(after.get('channel', '')).replace('_', ' ')})"
    if kind == "status_changed":
        return f"Status: {_status(before.get('status'))} → {_status(after.get('status'))}"
    if kind == "reopened":
        return f"Re-opened (was {_status(before.get('status')).lower()})"
    if kind == "assigned":
        owner = people.get(after.get("owner"))
        team = teams.get(after.get("team"))
        if owner is None:
            return f"Unassigned{f' (team {team})' if team else ''}"
        return f"Assigned to {owner}{f' ({team})' if team else ''}"
    if kind == "reclassified":
        text = f"Reclassified from {before.get('kind')} to {after.get('kind')}"
        if before.get("category") != after.get("category") and after.get("category"):
            text += f", category {after['category']}"
        return text
    if kind == "contact_logged":
        how = CHANNEL_WORDS.get(str(after.get("channel")), "a contact")
        return f"Logged {how} {DIRECTION_WORDS.get(str(after.get('direction')), '')}".strip()
    if kind == "customer_merged":
        return "Customer records merged"
    if kind.endswith("_sent"):
        return f"Sent the {kind.removesuffix('_sent').replace('_', ' ')}"
    return kind.replace("_", " ").capitalize()


def referenced_people(events) -> set[int]:
    ids = set()
    for event in events:
        for side in (event.before or {}, event.after or {}):
            if isinstance(side.get("owner"), int):
                ids.add(side["owner"])
    return ids
