"""Composes what demo customers and staff write, from the templates in texts.py. Framework-free.

Every function takes the random generator it may use, so the same seed gives the same words.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass
from decimal import Decimal
from random import Random

from . import texts
from .texts import Category, Issue

WHEN = [
    "last week",
    "on Monday",
    "on Friday",
    "a couple of weeks ago",
    "at the start of the month",
    "yesterday",
    "over the weekend",
    "on the 3rd",
    "on the 14th",
    "a fortnight ago",
    "last month",
]
WEEKS = ["two weeks", "three weeks", "four weeks", "six weeks", "two months", "nearly three months"]
TIMES = ["three", "four", "five", "six"]
KIND_WORDS = {"query": "query", "problem": "request", "complaint": "complaint"}


@dataclass(frozen=True)
class Writer:
    """Who is writing to us and about what: the fixed facts that every message on one case shares."""

    name: str  # how they sign off
    first: str  # how staff address them: a first name, or the contact at an organisation
    who: str  # how a note names them: "Priya Shah", "Tom Reid of Kestrel Joinery Ltd"
    category: Category
    issue: Issue
    kind: str
    tone: str
    slots: dict
    escalates: bool


@dataclass(frozen=True)
class Staff:
    first: str
    full: str
    team: str


def slots(rng: Random, category: Category) -> dict:
    return {
        "amount": _money(rng, 15, 950),
        "small": _money(rng, 3, 60),
        "big": f"£{rng.randrange(400, 6500, 5):,}",
        "when": rng.choice(WHEN),
        "weeks": rng.choice(WEEKS),
        "times": rng.choice(TIMES),
        "days": str(rng.randint(4, 16)),
        "months": rng.choice(["two", "three", "four", "five"]),
        "digits": f"{rng.randint(0, 9999):04d}",
        "ombudsman": category.ombudsman or "the small claims court",
    }


def _money(rng: Random, low: int, high: int) -> str:
    pence = rng.choice([0, 0, 0, 49, 50, 99, rng.randint(1, 99)])
    return f"£{rng.randint(low, high):,}.{pence:02d}" if pence else f"£{rng.randint(low, high):,}"


def fill(template: str, writer: Writer) -> str:
    return template.format(**writer.slots)


def sentence_case(text: str) -> str:
    return text[:1].upper() + text[1:]


def tone_for(rng: Random, kind: str) -> str:
    return rng.choices(texts.TONES, weights=texts.TONE_WEIGHTS[kind])[0]


# --- the customer's first message ----------------------------------------------------------------------


def core_paragraphs(rng: Random, w: Writer, *, with_opener: bool = True) -> list[str]:
    """What happened, what it did to them and what they want, in their own tone."""
    opener = rng.choice(texts.OPENERS[w.tone]) if with_opener else ""
    happened = fill(w.issue.happened, w)
    if w.kind == "complaint" and w.tone in {"frustrated", "angry", "distressed"} and rng.random() < 0.6:
        happened += " " + fill(rng.choice(texts.HISTORY), w)
    paragraphs = [p for p in (opener, happened) if p]
    impact = _impact(rng, w)
    if impact:
        paragraphs.append(impact)
    asks = texts.ASKS_ANGRY if w.tone == "angry" else texts.ASKS
    want = rng.choice(asks).format(o=fill(w.issue.outcome, w))
    if w.escalates:
        want += " " + fill(_escalation(rng, w), w)
    paragraphs.append(want)
    return paragraphs


def _impact(rng: Random, w: Writer) -> str:
    if w.kind == "query":
        return ""
    if w.tone == "distressed":
        return rng.choice(texts.IMPACTS["distressed"])
    if w.tone in {"frustrated", "angry"} or rng.random() < 0.4:
        return rng.choice(texts.IMPACTS[w.category.impacts])
    return ""


def _escalation(rng: Random, w: Writer) -> str:
    options = texts.ESCALATIONS if w.category.ombudsman else texts.ESCALATIONS[2:]
    return rng.choice(options)


def email_body(rng: Random, w: Writer) -> str:
    greeting = rng.choice(texts.GREETINGS[w.tone])
    closer = rng.choice(texts.CLOSERS[w.tone])
    sign_off = rng.choice(texts.SIGN_OFFS[w.tone])
    parts = [greeting, *core_paragraphs(rng, w), closer, f"{sign_off}\n{w.name}" if sign_off else w.name]
    return "\n\n".join(p for p in parts if p)


def letter_body(rng: Random, w: Writer) -> str:
    parts = ["Dear Sir or Madam,", f"Re: {w.issue.summary}", *core_paragraphs(rng, w)]
    parts.append(rng.choice(texts.CLOSERS[w.tone]) or "I look forward to hearing from you.")
    parts.append(f"Yours faithfully,\n\n{w.name}")
    return "\n\n".join(p for p in parts if p)


def form_body(rng: Random, w: Writer) -> str:
    return "\n\n".join(core_paragraphs(rng, w))


def chat_body(rng: Random, w: Writer) -> str:
    lines = [f"{w.first}: hi", "Virtual assistant: Hello! What can I help you with today?"]
    lines += [f"{w.first}: {p}" for p in core_paragraphs(rng, w, with_opener=False)]
    lines.append("Virtual assistant: Thanks. I've passed this to our team and they'll be in touch.")
    return "\n".join(lines)


def social_body(rng: Random, w: Writer) -> str:
    post = rng.choice(texts.SOCIAL_POSTS).format(at="@AmendsHelp", summary=w.issue.summary, **w.slots)
    return post[:280]


def sms_body(rng: Random, w: Writer) -> str:
    """A text: the first of what they would write, cut to what fits in two texts."""
    text = f"Hi it's {w.first}. " + " ".join(core_paragraphs(rng, w, with_opener=False)[0].split())
    return textwrap.shorten(text, width=300, placeholder="...")


def api_body(rng: Random, w: Writer) -> str:
    return "Submitted through the partner portal.\n\n" + "\n\n".join(core_paragraphs(rng, w))


def subject(rng: Random, w: Writer) -> str:
    summary = w.issue.summary
    options = [summary, summary, summary]
    if w.kind == "complaint":
        options += [f"Complaint - {summary}", f"Formal complaint: {summary}"]
    if w.kind == "query":
        options += [f"Question: {summary}", f"Quick question - {summary.lower()}"]
    if w.tone in {"angry", "distressed"}:
        options.append(f"URGENT - {summary}")
    return rng.choice(options)


def staff_note_first(rng: Random, w: Writer, *, channel: str, office: str) -> str:
    """An adviser's note of a call or a visit: third person, with the customer's words quoted."""
    how = "phoned" if channel == "phone" else f"came into the {office} office"
    words = " ".join(core_paragraphs(rng, w, with_opener=False)[:-1])
    return (
        f'{w.who} {how} about {w.category.topic.replace("your ", "their ")}. In their words: "{words}"\n\n'
        f"Wants us to {fill(w.issue.outcome, w)}. {texts.MOODS[w.tone]}"
        + (" Mentioned taking it to " + w.slots["ombudsman"] + "." if w.escalates else "")
    )


# --- follow-ups -------------------------------------------------------------------------------------------


def chaser(rng: Random, w: Writer) -> str:
    return rng.choice(texts.CHASERS[w.tone])


def info_given(rng: Random, w: Writer) -> str:
    thanks = rng.choice(["Thanks for getting back to me.", "Hi,", "Hello, as requested."])
    given = texts.QUERY_GIVEN if w.kind == "query" else w.category.given
    return f"{thanks} {fill(given, w)}\n\n{w.first}"


def come_back(rng: Random, w: Writer) -> str:
    return f"{rng.choice(texts.COME_BACKS)}\n\n{w.first}"


def call_note_in(rng: Random, w: Writer, *, channel: str, office: str) -> str:
    templates = texts.VISIT_NOTES_IN if channel == "face_to_face" else texts.PHONE_NOTES_IN
    return rng.choice(templates).format(
        first=w.first, office=office, kind=KIND_WORDS[w.kind], mood=texts.MOODS[w.tone]
    )


# --- what staff write -------------------------------------------------------------------------------------


def _letter(w: Writer, staff: Staff, body: str, *, formal: bool = False) -> str:
    sign_off = "Yours sincerely," if formal else "Kind regards,"
    return f"Dear {w.first},\n\n{body}\n\n{sign_off}\n{staff.full}\n{staff.team} team"


def first_reply(rng: Random, w: Writer, staff: Staff) -> str:
    body = rng.choice(texts.FIRST_REPLIES[w.kind]).format(topic=w.category.topic, staff_first=staff.first)
    return _letter(w, staff, body)


def ask_for(w: Writer) -> str:
    return texts.QUERY_ASK if w.kind == "query" else w.category.ask


def info_request(rng: Random, w: Writer, staff: Staff) -> str:
    body = rng.choice(texts.INFO_REQUESTS).format(ask=ask_for(w), kind=KIND_WORDS[w.kind])
    return _letter(w, staff, body)


def second_look(rng: Random, w: Writer, staff: Staff) -> str:
    """The reply when a customer comes back after we thought it was finished."""
    resolution = fill(w.issue.resolution, w)
    body = rng.choice(texts.SECOND_LOOKS).format(resolution=resolution, Resolution=sentence_case(resolution))
    return _letter(w, staff, body)


def holding_reply(rng: Random, w: Writer, staff: Staff) -> str:
    return _letter(w, staff, rng.choice(texts.HOLDING_REPLIES).format(kind=KIND_WORDS[w.kind]))


def finding_for(rng: Random) -> str:
    return rng.choices(["upheld", "partly", "not_upheld"], weights=(45, 35, 20))[0]


def outcome_reply(w: Writer, staff: Staff, kind: str, finding: str) -> str:
    resolution = fill(w.issue.resolution, w)
    if kind == "query":
        return _letter(w, staff, f"Thank you for your patience. To answer your question: {resolution}.")
    if kind == "problem":
        return _letter(
            w,
            staff,
            f"I'm pleased to let you know that {resolution}. Please let me know if "
            "there is anything else we can do.",
        )
    findings = texts.FINDINGS[finding]
    remedy = "" if finding == "not_upheld" else f"\n\nTo put things right, {resolution}."
    referral = (
        texts.REFERRAL.format(ombudsman=w.category.ombudsman) if w.category.ombudsman else texts.REFERRAL_NONE
    )
    body = (
        f"Thank you for your patience while I looked into your complaint about {w.category.topic}.\n\n"
        f"{findings}{remedy}\n\n{referral}"
    )
    return _letter(w, staff, body, formal=True)


def call_note_out(rng: Random, w: Writer) -> str:
    return rng.choice(texts.CALL_NOTES_OUT).format(first=w.first, kind=KIND_WORDS[w.kind])


def outcome_note(rng: Random, w: Writer, kind: str, finding: str) -> str:
    """The outcome given by phone or post, for customers we cannot email."""
    resolution = fill(w.issue.resolution, w)
    reaction = rng.choice(
        [
            "They were happy with this.",
            "They accepted it, though not entirely happy.",
            "They thanked us for sorting it out.",
        ]
    )
    if kind == "complaint" and finding == "not_upheld":
        reaction = "They were unhappy; explained their right to go to " + w.slots["ombudsman"] + "."
    return f"Called {w.first} and explained the outcome: {resolution}. {reaction}"


def letter_note(w: Writer, kind: str) -> str:
    return f"Final response letter posted first class to the address on file. Outcome: {fill(w.issue.resolution, w)}."


GIVEN_BY = {"web_form": "Web form", "api": "API", "social": "Social media", "chat": "Chat", "sms": "SMS"}


def kind_reason(rng: Random, kind: str, channel: str) -> str:
    if channel in GIVEN_BY:  # the words intake.contacts.given_kind_reason writes for a live contact
        return f"{GIVEN_BY[channel]}: it arrived marked as a {kind}"
    if channel == "email" and kind == "complaint" and rng.random() < 0.5:
        return "Arrived at the complaints mailbox"
    return rng.choice(
        {
            "complaint": [
                "Customer said they wanted to make a complaint",
                "Customer expressed dissatisfaction with our service",
            ],
            "problem": [
                "Something is not working and the customer wants it put right",
                "Reported a fault; no dissatisfaction expressed yet",
            ],
            "query": ["A question only; no dissatisfaction expressed", "Customer asked for information"],
        }[kind]
    )


RECLASSIFY = {
    ("query", "complaint"): "Customer unhappy with how their question was handled: treated as a complaint",
    ("problem", "complaint"): "Customer dissatisfied with the repeated failure: treated as a complaint",
    ("complaint", "problem"): "Customer wants a fault fixed and has not expressed dissatisfaction",
}


# --- the complaint process --------------------------------------------------------------------------------


def lower_first(text: str) -> str:
    """ "Parcel left in the bin" -> "parcel left in the bin"; "ASB case closed" stays as it is."""
    return text if text[1:2].isupper() else text[:1].lower() + text[1:]


def money(amount: Decimal) -> str:
    """Decimal("1234.5") -> "£1,234.50"; whole pounds without pence."""
    return f"£{amount:,.0f}" if amount == amount.to_integral_value() else f"£{amount:,.2f}"


def slot_amount(w: Writer) -> Decimal | None:
    """The sum the customer's own story names ({amount}, {big} or {small}), if it names one."""
    for name in ("amount", "big", "small"):
        if "{" + name + "}" in w.issue.resolution or "{" + name + "}" in w.issue.outcome:
            return Decimal(w.slots[name].replace("£", "").replace(",", ""))
    return None


def understanding(rng: Random, w: Writer) -> dict[str, str]:
    """The check-back summary an adviser writes for the customer to confirm (what, impact, outcome)."""
    return {
        "what_happened": (
            f"You contacted us about {w.category.topic}: {lower_first(w.issue.summary)}. "
            f"In your words: \u201c{fill(w.issue.happened, w)}\u201d"
        ),
        "impact": rng.choice(texts.IMPACT_SUMMARIES[w.category.impacts]),
        "outcome_wanted": sentence_case(fill(w.issue.outcome, w)) + ".",
    }


def evidence(rng: Random, w: Writer, count: int) -> list[tuple[str, str, str]]:
    pool = list(texts.EVIDENCE[w.category.name])
    return rng.sample(pool, min(count, len(pool)))


def finding(rng: Random, w: Writer, outcome: str, cause: str | None, source: str) -> dict[str, str]:
    """Facts and reasoning for a finding (`outcome` is justified, partly_justified or not_justified), and
    the same reasons written for the customer, which is all the letters will say of it."""
    facts = rng.choice(texts.FACTS).format(
        who=w.who,
        happened=fill(w.issue.happened, w),
        source=f"the {lower_first(source)}",
        when=w.slots["when"],
    )
    words = texts.CAUSE_WORDS.get(cause or "", "We could not find one single cause.")
    # One draw, as rng.choice makes, picks the internal note and its customer-facing twin.
    pick = rng.randrange(len(texts.REASONING[outcome]))
    reasoning = texts.REASONING[outcome][pick].format(
        first=w.first,
        cause=words,
        cause_lower=lower_first(words),
        cause_lower_trim=lower_first(words).rstrip("."),
    )
    told = texts.CAUSE_WORDS_FOR_CUSTOMER.get(cause or "", "We could not find one single cause.")
    explanation = texts.EXPLANATIONS[outcome][pick].format(
        cause=told, cause_lower=lower_first(told), cause_lower_trim=lower_first(told).rstrip(".")
    )
    return {"facts": facts, "reasoning": reasoning, "customer_explanation": explanation}


def option_title(rng: Random, w: Writer, remedy: str, amount: Decimal | None) -> str:
    title = rng.choice(texts.OPTION_TITLES[remedy]).format(
        money=money(amount) if amount is not None else "",
        outcome=sentence_case(fill(w.issue.outcome, w)),
        process=texts.PROCESSES.get(w.category.name, "our process"),
    )
    return title[:200]


def option_sides(remedy: str) -> dict[str, str]:
    benefit, drawback, ours, cost = texts.OPTION_SIDES[remedy]
    return {
        "benefits_customer": benefit,
        "drawbacks_customer": drawback,
        "benefits_organisation": ours,
        "drawbacks_organisation": cost,
    }


def remedy_text(w: Writer, title: str, amount: Decimal | None, outcome: str) -> str:
    """What the response letter says under "Putting things right"."""
    text = title + (f" ({money(amount)})" if amount is not None and money(amount) not in title else "") + "."
    if outcome != "not_justified":
        text += f" {sentence_case(fill(w.issue.resolution, w))}."
    return text


def promise_action(rng: Random, w: Writer) -> str:
    return rng.choice(texts.PROMISE_ACTIONS.get(w.category.name) or texts.PROMISE_ACTIONS[w.category.impacts])


def task_title(action: str, w: Writer) -> str:
    """A promised action ("send you a corrected statement") as a colleague's task names the customer."""
    words = f" {action} ".replace(" your ", f" {w.first}'s ").replace(" you ", f" {w.first} ")
    return sentence_case(words.strip())


def complaint_definition(w: Writer) -> str:
    """What we understand the complaint to be about (letters of the Housing Ombudsman's code)."""
    return (
        f"Your complaint is about {w.category.topic}: {lower_first(w.issue.summary)}. You would like us to "
        f"{fill(w.issue.outcome, w)}."
    )


def call_promise(rng: Random, w: Writer) -> str:
    return rng.choice(texts.PROMISES_CALL).format(first=w.first)
