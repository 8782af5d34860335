from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model

from .models import CaseKind, HandOver
from .notes import NOTE_MAX_CHARS
from .selectors import assignee_label


class StatusForm(forms.Form):
    to = forms.CharField(max_length=30)
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False, max_length=5000)
    version = forms.IntegerField(min_value=1)


class AssigneeField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return assignee_label(obj)


class AssignForm(forms.Form):
    owner = AssigneeField(
        queryset=get_user_model().objects.none(),
        required=False,
        empty_label="Unassigned",
        widget=forms.Select(attrs={"aria-describedby": "owner-hint"}),  # the hint beside it on the case page
    )
    # Needed when the case has an owner: why it changes hands, and what the new owner must know.
    reason = forms.ChoiceField(
        choices=[("", "Choose why"), *HandOver.Reason.choices],
        required=False,
        label="Why it changes hands",
        widget=forms.Select(attrs={"id": "id_handover_reason"}),  # the status form has its own reason
    )
    note = forms.CharField(
        max_length=5000,
        required=False,
        label="Hand-over note",
        widget=forms.Textarea(
            attrs={"rows": 4, "id": "id_handover_note", "aria-describedby": "handover-hint"}
        ),
    )
    version = forms.IntegerField(min_value=1)

    def __init__(self, *args, owners=None, **kwargs):
        super().__init__(*args, **kwargs)
        if owners is not None:
            self.fields["owner"].queryset = owners


class ReclassifyForm(forms.Form):
    kind = forms.ChoiceField(choices=CaseKind.choices)
    category = forms.CharField(max_length=100, required=False)
    product = forms.CharField(max_length=100, required=False)
    reason = forms.CharField(max_length=300, help_text="Why it is this kind: the regime's definition decides")
    version = forms.IntegerField(min_value=1)


class PeopleField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj) -> str:
        return assignee_label(obj)


class NoteForm(forms.Form):
    """An internal note, on a case or a customer; `people` are those it may tell (notes.mentionable_people).
    Rendered with auto_id "note_%s", so its fields never share an id with the reply box beside it."""

    body = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), max_length=NOTE_MAX_CHARS, label="Note")
    mention = PeopleField(
        queryset=get_user_model().objects.none(),
        required=False,
        label="Tell",
        widget=forms.CheckboxSelectMultiple,
    )
    corrects = forms.IntegerField(min_value=1, required=False, widget=forms.HiddenInput)

    def __init__(self, *args, people=None, **kwargs):
        kwargs.setdefault("auto_id", "note_%s")
        super().__init__(*args, **kwargs)
        if people is not None:
            self.fields["mention"].queryset = people
