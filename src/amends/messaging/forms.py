from __future__ import annotations

from django import forms

from amends.core.moments import held
from amends.customers.models import Channel

from .models import Message


class ReplyForm(forms.Form):
    subject = forms.CharField(max_length=250, required=False)
    body = forms.CharField(widget=forms.Textarea(attrs={"rows": 6}), max_length=100_000)
    # The case's version the page showed: a reply written against an older one is not sent.
    version = forms.IntegerField(min_value=1, widget=forms.HiddenInput)


class SendAgainForm(forms.Form):
    reason = forms.CharField(max_length=1000, required=False)


class LogContactForm(forms.Form):
    channel = forms.ChoiceField(
        choices=[(c.value, c.label) for c in (Channel.PHONE, Channel.FACE_TO_FACE, Channel.LETTER)]
    )
    direction = forms.ChoiceField(choices=Message.Direction.choices)
    occurred_at = forms.DateTimeField(
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
        help_text="Leave empty for now",
    )
    summary = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}), max_length=100_000, label="What was said"
    )
    # The case's version the page showed: a note written against an older one is not logged.
    version = forms.IntegerField(min_value=1, widget=forms.HiddenInput)

    def clean_occurred_at(self):
        moment = self.cleaned_data["occurred_at"]
        try:
            return None if moment is None else held(moment)  # the API's Moment: a time UTC can hold
        except ValueError as exc:
            raise forms.ValidationError(f"The time {exc}") from exc


class SavedReplyForm(forms.Form):
    """A new saved reply, or an edit of one (with the `version` it was read at)."""

    title = forms.CharField(max_length=120)
    body = forms.CharField(widget=forms.Textarea(attrs={"rows": 6}), max_length=20_000, label="Reply")
    # A new one's: a team's id, or "" for one's own (the page offers only the teams the user keeps).
    team = forms.CharField(required=False, max_length=20)
    version = forms.IntegerField(min_value=1, required=False, widget=forms.HiddenInput)


class SavedReplyDeleteForm(forms.Form):
    version = forms.IntegerField(min_value=1, widget=forms.HiddenInput)
