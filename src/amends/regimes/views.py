"""The regime settings page: which regimes we work under, and how a new complaint's regime is chosen."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from pydantic import ValidationError

from amends.core.errors import DomainError
from amends.core.permissions import can_add_regimes, require
from amends.core.web import invalid_input, report, staff_required
from amends.customers.models import Channel

from .models import Regime, RegimeRule
from .schemas import RegimeSettingsIn
from .selectors import regime_rules
from .services import regime_settings_save

BLANK_ROWS = 3  # empty rule rows the form offers for adding rules


def _posted(post) -> RegimeSettingsIn:
    """The form as the API's input: the ticked regimes, and each rule row with a regime chosen, in order."""
    rows = zip(
        post.getlist("rule_match"), post.getlist("rule_value"), post.getlist("rule_regime"), strict=False
    )
    rules = [
        {"match": match, "value": value, "regime": regime} for match, value, regime in rows if match or regime
    ]
    return RegimeSettingsIn(in_use=post.getlist("in_use"), rules=rules)


@staff_required
def regime_settings(request):
    """Every staff member may read the settings; complaints leads and administrators change them (audited)."""
    editor = can_add_regimes(request.user)
    if request.method == "POST":
        try:
            require(editor, "Only complaints leads and administrators change regime settings")
            try:
                data = _posted(request.POST)
            except ValidationError as exc:
                raise invalid_input(exc.errors()) from exc
            regime_settings_save(in_use=data.in_use, rules=[r.rule() for r in data.rules], actor=request.user)
            messages.success(request, "Regime settings saved")
        except DomainError as exc:
            report(request, exc)
        return redirect("regime_settings")
    rules = regime_rules()
    return render(
        request,
        "regimes/settings.html",
        {
            "regimes": list(Regime.objects.order_by("name")),
            "rules": rules + [None] * BLANK_ROWS,
            "matches": RegimeRule.Match.choices,
            "channels": Channel.choices,
            "editor": editor,
        },
    )
