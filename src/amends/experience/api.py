"""The customer's view over the API: the same story as the page, as JSON."""

from __future__ import annotations

from datetime import datetime

from django.http import Http404
from ninja import Field, Router, Schema

from amends.core.api_errors import errors

from .selectors import customer_story, story_customer
from .story import DEFINITIONS, Entry, Figures, Story

router = Router(tags=["customers"])


class FiguresOut(Schema):
    contacts_in: int = Field(..., description="Contacts from the customer, every channel")
    contacts_out: int = Field(..., description="Contacts from us: replies, letters, calls we made")
    matters: int
    open_matters: int
    first_contact: datetime | None
    last_contact: datetime | None
    longest_wait_seconds: int | None = Field(..., description="The longest wait for our reply")
    longest_wait_ongoing: bool = Field(..., description="True when the longest wait has no reply yet")
    median_wait_seconds: int | None = Field(..., description="The median of the waits we answered")
    waits: int = Field(..., description="How many waits ended with our reply")
    waiting_now: int
    promises_made: int = Field(
        ..., description="Renegotiated promises count once, as the one that replaced them"
    )
    promises_kept: int
    promises_broken: int
    promises_open: int
    channels: list[str] = Field(..., description="The channels the customer used, most used first")
    switches: int
    switches_unanswered: int = Field(..., description="Channel switches made while waiting for our reply")
    explained: int = Field(..., description="Times they had to explain (see definitions.explained)")
    explained_to: int = Field(..., description="Different people they explained it to")
    people: int = Field(..., description="Members of staff they dealt with")
    handovers: int
    reopens: int


class EntryOut(Schema):
    at: datetime
    kind: str = Field(..., description="contact, promise_made, promise_kept, promise_broken, handover, ...")
    text: str
    notes: list[str] = Field(..., description="The wait, the channel switch, the new person, in plain words")
    direction: str | None = Field(None, description="in (from the customer) or out (from us), for a contact")
    channel: str | None = None
    wait_seconds: int | None = Field(None, description="On the first contact of a wait: until our reply")
    still_waiting: bool = False
    explained: bool = False
    excerpt: str = Field(
        "", description="The start of what they wrote, or of our note of their call or visit"
    )


class CaseStoryOut(Schema):
    reference: str
    kind: str
    status: str
    is_open: bool
    opened_at: datetime
    entries: list[EntryOut]


class StoryOut(Schema):
    customer_id: int
    name: str
    summary: list[str]
    figures: FiguresOut
    definitions: dict[str, str]
    cases: list[CaseStoryOut]
    truncated: bool = Field(..., description="True when only the newest contacts were read")


def _seconds(span) -> int | None:
    return None if span is None else round(span.total_seconds())


def _figures(f: Figures) -> dict:
    data = {name: getattr(f, name) for name in FiguresOut.model_fields if hasattr(f, name)}
    data["longest_wait_seconds"] = _seconds(f.longest_wait)
    data["median_wait_seconds"] = _seconds(f.median_wait)
    return data


def _entry(e: Entry) -> dict:
    c = e.contact
    return {
        "at": e.at,
        "kind": e.kind,
        "text": e.text,
        "notes": e.notes,
        "direction": c.direction if c else None,
        "channel": c.channel if c else None,
        "wait_seconds": _seconds(c.wait) if c else None,
        "still_waiting": bool(c and c.waiting),
        "explained": bool(c and c.explained),
        "excerpt": c.excerpt if c and c.direction == "in" else "",
    }


def story_out(customer_id: int, story: Story) -> dict:
    return {
        "customer_id": customer_id,
        "name": story.name,
        "summary": story.summary,
        "figures": _figures(story.figures),
        "definitions": DEFINITIONS,
        "cases": [
            {
                "reference": s.facts.reference,
                "kind": s.facts.kind,
                "status": s.facts.status,
                "is_open": s.facts.is_open,
                "opened_at": s.facts.opened_at,
                "entries": [_entry(e) for e in s.entries],
            }
            for s in story.cases
        ],
        "truncated": story.truncated,
    }


@router.get(
    "/{customer_id}/story",
    response={200: StoryOut, **errors(404, 422)},
    summary="The customer's story across the cases you can see: summary, figures and timeline",
)
def get_customer_story(request, customer_id: int):
    customer = story_customer(request.auth, customer_id)
    if customer is None:
        raise Http404("No such customer that you can see")
    return story_out(customer.pk, customer_story(request.auth, customer))
