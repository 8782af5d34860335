"""The customer's view (CFACSC4 P4): one page telling their story across the cases the reader may see."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_safe

from amends.cases.models import Case
from amends.core.web import staff_required
from amends.customers.models import Customer

from .selectors import CASE_LIMIT, STORY_LIMIT, customer_story, story_customer
from .story import DEFINITIONS, channel_name


def customer_page_context(request, customer: Customer) -> dict:
    """The customer page's link to their story."""
    return {"story_url": reverse("customer_story", args=[customer.pk])}


def case_page_context(request, case: Case) -> dict:
    """The case page's link to its customer's story (whoever sees the case sees its customer)."""
    return {"story_url": reverse("customer_story", args=[case.customer_id])}


@require_safe
@staff_required
def customer_story_page(request, pk: int):
    customer = story_customer(request.user, pk)
    if customer is None:
        raise Http404("No such customer, or not one you can see")
    story = customer_story(request.user, customer)
    return render(
        request,
        "experience/story.html",
        {
            "customer": customer,
            "story": story,
            "figures": story.figures,
            "channels": [channel_name(c) for c in story.figures.channels],
            "definitions": DEFINITIONS,
            "limit": STORY_LIMIT,
            "case_limit": CASE_LIMIT,
        },
    )
