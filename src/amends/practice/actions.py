"""The practice pages' and the API's one typed input for each action."""

from __future__ import annotations

from ninja import Field, Schema

from .services import REPLY_LIMIT


class PracticeStartIn(Schema):
    scenario: str = Field(..., max_length=80, description="The scenario's id, as the library lists it")


class PracticeReplyIn(Schema):
    # The service refuses a reply longer than REPLY_LIMIT with the field named; the schema's bound is for
    # the OpenAPI document and stops a huge body before it is read.
    text: str = Field(..., max_length=REPLY_LIMIT * 2, description="What the learner says to the customer")
