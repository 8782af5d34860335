"""The question a customer may answer on the public complaint form and on their status page: "Do you need
any support or changes to how we contact you?" Optional; their explicit consent is asked only when they
tell us something (UK GDPR art. 9: health and life events are special category data)."""

from __future__ import annotations

from django import forms

from .services import Disclosure, disclosure_problems
from .vocabulary import CUSTOMER_NEEDS

WHY_WE_ASK = (
    "We ask so we can make it easier for you to deal with us. Only the people handling your complaint and "
    "their managers will see it. You do not have to tell us."
)


class SupportAskForm(forms.Form):
    support_needs = forms.MultipleChoiceField(
        choices=list(CUSTOMER_NEEDS.items()),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="What would help",
    )
    support_text = forms.CharField(
        max_length=5_000,
        required=False,
        label="Anything else you would like us to know (optional)",
        help_text="For example a condition, a recent bereavement, or the times you can take calls.",
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    support_consent = forms.BooleanField(
        required=False,
        label="I agree that you may keep what I have told you about my needs and circumstances, and share it "
        "with the people handling my complaint, so you can support me",
    )

    SUPPORT_FIELDS = ("support_needs", "support_text", "support_consent")

    def clean(self):
        cleaned = super().clean()
        for field, problem in disclosure_problems(self.disclosure()).items():
            if field not in self.errors:
                self.add_error(field, problem)
        return cleaned

    def disclosure(self) -> Disclosure:
        data = getattr(self, "cleaned_data", {})
        return Disclosure(
            needs=tuple(data.get("support_needs") or ()),
            text=(data.get("support_text") or "").strip(),
            consent=bool(data.get("support_consent")),
        )

    def support_fields(self):
        return [self[name] for name in self.SUPPORT_FIELDS]
