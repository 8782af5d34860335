"""The typed input of the improvement pages and the API: a form is read into the same schema the API
validates, and both call the same service."""

from __future__ import annotations

from datetime import date
from typing import Literal

from ninja import Field, Schema

from amends.core.api_types import RowId

from .models import CheckResult, Measure
from .services import ActionPlan


class ActionPlanIn(Schema):
    title: str = Field(..., max_length=200)
    change: str = Field(..., max_length=10_000, description="What the action should change, and how")
    owner: int = Field(..., ge=1, le=2**63 - 1, description="The user id of a colleague who works cases")
    due_date: date
    root_causes: list[str] = Field(
        default_factory=list, max_length=20, description="Root cause codes it addresses (GET /root-causes)"
    )
    cases: list[str] = Field(
        default_factory=list, max_length=50, description="References of cases it came from"
    )
    measure: Literal[tuple(Measure.values)] = Field(  # type: ignore[valid-type]
        Measure.ROOT_CAUSE.value, description="What is counted per week to check its effect"
    )
    product: str = Field("", max_length=100, description="The product measured (measure: product)")
    before_start: date
    before_end: date
    after_start: date
    after_end: date

    def plan(self) -> ActionPlan:
        return ActionPlan(
            title=self.title,
            change=self.change,
            owner_id=self.owner,
            due_date=self.due_date,
            root_causes=tuple(c for c in self.root_causes if c),
            cases=tuple(r.strip() for r in self.cases if r.strip()),
            measure=self.measure,
            product=self.product,
            before_start=self.before_start,
            before_end=self.before_end,
            after_start=self.after_start,
            after_end=self.after_end,
        )


class StageIn(Schema):
    to: Literal["do", "check", "act", "closed", "abandoned"] = Field(
        ..., description="The next stage (or abandoned, with the reason as the note)"
    )
    note: str = Field("", max_length=10_000, description="Required to act (what now) and to abandon (why)")


class CheckIn(Schema):
    result: Literal[tuple(CheckResult.values)]  # type: ignore[valid-type]
    note: str = Field(..., max_length=10_000, description="What the figures show, in words")


class LessonIn(Schema):
    title: str = Field(..., max_length=200)
    what_happened: str = Field(..., max_length=10_000)
    what_learned: str = Field(..., max_length=10_000)
    what_changes: str = Field(..., max_length=10_000)
    teams: list[RowId] = Field(
        default_factory=list, max_length=50, description="Team ids: every member is told"
    )
    people: list[RowId] = Field(
        default_factory=list, max_length=200, description="User ids of colleagues to tell"
    )
    action: int | None = Field(None, ge=1, le=2**63 - 1, description="The improvement action it comes from")
    case: str = Field("", max_length=20, description="The reference of the case it comes from")
