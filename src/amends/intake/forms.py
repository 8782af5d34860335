from __future__ import annotations

import secrets

from django import forms
from django.core import signing

from amends.care.forms import SupportAskForm
from amends.customers.models import Nation
from amends.customers.normalise import normalise_phone

SALT = "amends.public-complaint-form"
TOKEN_MAX_AGE = 60 * 60 * 24


def new_form_token() -> str:
    return signing.TimestampSigner(salt=SALT).sign(secrets.token_urlsafe(16))


class ComplaintForm(SupportAskForm):
    """The public complaint form: what happened, its impact, the outcome wanted (CFACSC7 4, W 1), and,
    if the customer chooses, the support they need (care.forms: CFACSC4 P5, FCA FG21/1)."""

    name = forms.CharField(max_length=200, label="Your name")
    email = forms.EmailField(max_length=254, label="Email address", help_text="We send your reference here")
    phone = forms.CharField(max_length=40, required=False, label="Phone number (optional)")
    nation = forms.ChoiceField(choices=Nation.choices, label="Where do you live?", initial=Nation.ENGLAND)
    subject = forms.CharField(
        max_length=200, label="What is it about?", help_text="A few words, e.g. 'Refund not received'"
    )
    what_happened = forms.CharField(
        max_length=20_000,
        label="What happened, and how has it affected you?",
        widget=forms.Textarea(attrs={"rows": 8}),
    )
    outcome_wanted = forms.CharField(
        max_length=5_000,
        required=False,
        label="What would you like us to do to put it right?",
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    form_token = forms.CharField(widget=forms.HiddenInput, max_length=200)

    def complaint_fields(self):
        """The complaint's own boxes, in order; the support section is rendered apart (its fieldset)."""
        return [field for field in self.visible_fields() if field.name not in self.SUPPORT_FIELDS]

    def complaint_data(self) -> dict:
        """What the complaint is: stored with the message as the customer sent it. The support section is
        kept apart, as a support-needs record only the roles allowed may read."""
        skip = {"form_token", *self.SUPPORT_FIELDS}
        return {k: v for k, v in self.cleaned_data.items() if k not in skip}

    def clean_phone(self):
        phone = self.cleaned_data["phone"].strip()
        if phone and normalise_phone(phone) is None:
            raise forms.ValidationError("Enter a phone number, like 07700 900123")
        return phone

    def clean_form_token(self):
        token = self.cleaned_data["form_token"]
        try:
            signing.TimestampSigner(salt=SALT).unsign(token, max_age=TOKEN_MAX_AGE)
        except signing.BadSignature as exc:
            raise forms.ValidationError(
                "This form has expired. Please check your answers and send it again."
            ) from exc
        return token
