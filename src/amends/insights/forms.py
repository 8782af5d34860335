"""The dashboard's filter form (GET) and the objective form."""

from __future__ import annotations

from datetime import date, timedelta

from django import forms

from amends.cases.models import CaseKind
from amends.customers.models import Channel
from amends.process.models import RootCause
from amends.regimes.models import Regime

from .models import Measure
from .selectors import NONE, Filters, default_filters

MAX_DAYS = 3 * 366  # three years at most on one screen


class FilterForm(forms.Form):
    start = forms.DateField(label="From", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label="To", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    grain = forms.ChoiceField(label="By", choices=[("month", "Month"), ("week", "Week")], required=False)
    kind = forms.ChoiceField(label="Kind", required=False)
    product = forms.ChoiceField(label="Product", required=False)
    channel = forms.ChoiceField(label="Channel", required=False)
    team = forms.ChoiceField(label="Team", required=False)
    regime = forms.ChoiceField(label="Regime", required=False)
    root_cause = forms.ChoiceField(label="Root cause", required=False)
    support_needs = forms.ChoiceField(
        label="Support needs",
        required=False,
        choices=[("", "Everyone"), ("yes", "With support needs"), ("no", "Without")],
    )
    by = forms.ChoiceField(
        label="Break down by",
        required=False,
        choices=[
            ("product", "Product"),
            ("channel", "Channel"),
            ("team", "Team"),
            ("regime", "Regime"),
            ("root_cause", "Root cause"),
        ],
    )

    def __init__(self, *args, products: list[str], teams, today: date, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today
        every = [("", "All")]
        none = [(NONE, "Not recorded")]
        self.fields["kind"].choices = every + list(CaseKind.choices)
        self.fields["product"].choices = every + [(p, p) for p in products] + none
        self.fields["channel"].choices = every + list(Channel.choices)
        self.fields["team"].choices = every + [(str(t.pk), t.name) for t in teams] + [(NONE, "No team")]
        self.fields["regime"].choices = (
            every + [(r.code, r.name) for r in Regime.objects.all()] + [(NONE, "No regime")]
        )
        self.fields["root_cause"].choices = (
            every + [(c.code, str(c)) for c in RootCause.objects.select_related("parent")] + none
        )

    def clean(self):
        data = super().clean()
        default = default_filters(self.today)
        start, end = data.get("start") or default.start, data.get("end") or default.end
        if start > end:
            raise forms.ValidationError("The period must start before it ends")
        if end - start > timedelta(days=MAX_DAYS):
            raise forms.ValidationError("Choose a period of three years at most")
        data["start"], data["end"] = start, end
        return data

    def filters(self) -> Filters:
        """The filters asked for; the default ones when the form is not valid (its errors are shown)."""
        if not self.is_valid():
            return default_filters(self.today)
        d = self.cleaned_data
        return Filters(
            start=d["start"],
            end=d["end"],
            grain=d.get("grain") or "month",
            **{k: d.get(k) or "" for k in ("kind", "product", "channel", "team", "regime", "root_cause")},
            support_needs=d.get("support_needs") or "",
        )

    @property
    def breakdown(self) -> str:
        return (self.cleaned_data.get("by") if self.is_valid() else "") or "product"


class ObjectiveForm(forms.Form):
    measure = forms.ChoiceField(label="Measure", choices=Measure.choices)
    target = forms.CharField(label="Target", required=False, max_length=12)
    note = forms.CharField(label="Why this target (optional)", required=False, max_length=300)
