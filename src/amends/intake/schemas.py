"""The documented shape of a structured contact: API posts, `amends intake json`, social and chat feeds."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from amends.core.moments import Moment

ChannelName = Literal["email", "web_form", "phone", "face_to_face", "letter", "social", "chat", "sms", "api"]
KindName = Literal["query", "problem", "complaint"]
NationName = Literal["england", "wales", "scotland", "northern-ireland"]


# At least one of these holds something besides spaces (the validator below); the document says so too.
_SOMETHING_TO_GO_ON = {
    "anyOf": [
        {"required": [name], "properties": {name: {"type": "string", "pattern": r"\S"}}}
        for name in ("name", "email", "phone", "handle")
    ]
}


class CustomerIn(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra=_SOMETHING_TO_GO_ON)

    name: str = Field("", max_length=200)
    email: str = Field("", max_length=254)
    phone: str = Field("", max_length=40)
    handle: str = Field("", max_length=200, description="Social media handle, e.g. @name on a platform")
    nation: NationName | None = None
    kind: Literal["person", "organisation"] = "person"

    @model_validator(mode="after")
    def something_to_go_on(self):
        if not (self.name.strip() or self.email.strip() or self.phone.strip() or self.handle.strip()):
            raise ValueError("give at least one of name, email, phone, handle")
        return self


class ContactIn(BaseModel):
    """One message from a customer. `external_id` makes it idempotent: sending it twice stores it once."""

    model_config = ConfigDict(extra="forbid")

    channel: ChannelName
    external_id: str = Field(
        ...,
        min_length=1,
        max_length=200,
        description="The sender's own id for this message (post id, chat id, your request id)",
    )
    received_at: Moment | None = Field(None, description="When the customer sent it; defaults to now")
    customer: CustomerIn
    text: str = Field(..., min_length=1, max_length=100_000)
    subject: str = Field("", max_length=300)
    case_reference: str | None = Field(
        None, max_length=20, description="Add to this case rather than opening a new one"
    )
    kind: KindName = "complaint"
    category: str = Field("", max_length=100)
    product: str = Field(
        "", max_length=100, description="The product or service it is about, e.g. 'Current account'"
    )
    outcome_wanted: str = Field("", max_length=5000)


class MailboxIn(BaseModel):
    """A team mailbox's settings: the settings page's form, the API and `amends mailbox add` take it."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(..., min_length=1, max_length=120, pattern=r"\S")
    host: str = Field(..., min_length=1, max_length=255, pattern=r"^[A-Za-z0-9.:\[\]-]+$")
    port: int = Field(993, ge=1, le=65535)
    security: Literal["tls", "starttls", "none"] = Field(
        "tls", description="TLS from the start (IMAPS), STARTTLS, or none (only for a server on this machine)"
    )
    username: str = Field(..., min_length=1, max_length=255)
    password_env: str = Field(
        ...,
        max_length=100,
        pattern=r"^[A-Za-z_][A-Za-z0-9_]*$",
        description="The environment variable that holds the password (the password is never stored)",
    )
    folder: str = Field("INBOX", max_length=200)
    after_import: Literal["mark", "move"] = Field(
        "mark", description="Mark imported email read and flag it $AmendsImported, or move it to move_to"
    )
    move_to: str = Field("", max_length=200, description="The folder imported email moves to (move only)")
    team: str | None = Field(
        None, max_length=60, description="The slug of the team new cases go to; none: the intake team"
    )
    enabled: bool = True


class MailboxChangeIn(MailboxIn):
    """New settings for a mailbox, with the version they were read at (optimistic locking)."""

    expected_version: int = Field(..., ge=1)
