from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model

from amends.customers.models import Channel
from amends.messaging.models import Message

from .models import CaseKind


class ReplyForm(forms.Form):
    subject = forms.CharField(max_length=250, required=False)
    body = forms.CharField(widget=forms.Textarea(attrs={"rows": 6}), max_length=100_000)


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


class StatusForm(forms.Form):
    to = forms.CharField(max_length=30)
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False, max_length=5000)
    version = forms.IntegerField(min_value=1)


class AssignForm(forms.Form):
    owner = forms.ModelChoiceField(
        queryset=get_user_model().objects.none(), required=False, empty_label="Unassigned"
    )
    version = forms.IntegerField(min_value=1)

    def __init__(self, *args, owners=None, **kwargs):
        super().__init__(*args, **kwargs)
        if owners is not None:
            self.fields["owner"].queryset = owners


class ReclassifyForm(forms.Form):
    kind = forms.ChoiceField(choices=CaseKind.choices)
    category = forms.CharField(max_length=100, required=False)
    reason = forms.CharField(max_length=300, help_text="Why it is this kind: the regime's definition decides")
    version = forms.IntegerField(min_value=1)
