"""Demo customers: UK names, example-domain emails, Ofcom drama-range phone numbers. Framework-free.

Emails use only example.com, example.org and example.net; phone numbers come from 07700 900000-900999 and
01632 960000-960999, the ranges Ofcom keeps for drama, so no demo contact can reach a real person.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from random import Random

from . import texts

NATIONS = ("england", "scotland", "northern-ireland")
NATION_WEIGHTS = (82, 11, 7)
ORGANISATION_SHARE = 0.06
LOOKALIKE_SHARE = 0.02  # same name, different email: what the merge suggestions are for


# Demo postal addresses: made-up streets in real towns, with postcodes in the area "AM", which Royal Mail does
# not use, so no demo letter could be addressed to a real home. Each person's is drawn from their own name
# (not the plan's random stream), so adding addresses changed none of the demo's stories.
ADDRESS_SHARE = 0.7
WALES_SHARE = 0.07  # of the people the plan puts in England, who live in Wales (the same bank holidays)


def _own_rng(purpose: str, name: str) -> Random:
    return Random(f"{purpose}:{name}")


def _in_wales(name: str, nation: str) -> str:
    return "wales" if nation == "england" and _own_rng("nation", name).random() < WALES_SHARE else nation


def postal_address(someone: Person) -> dict | None:
    """Where letters to this demo customer go by post: everyone without an email address, most others."""
    rng = _own_rng("address", someone.name)
    if someone.email and not someone.is_organisation and rng.random() > ADDRESS_SHARE:
        return None
    town = rng.choice(texts.TOWNS[someone.nation])
    number = rng.randint(1, 180)
    street = f"{number} {rng.choice(texts.STREETS)}"
    lines = [f"Flat {rng.randint(1, 12)}", street] if rng.random() < 0.25 else [street]
    if someone.is_organisation:
        lines = [f"Unit {rng.randint(1, 30)}, {rng.choice(texts.BUSINESS_PARKS)}"]
    letters = "ABDEFGHJLNPQRSTUWXYZ"  # the letters Royal Mail uses in the inward code
    postcode = f"AM{rng.randint(1, 99)} {rng.randint(1, 9)}{rng.choice(letters)}{rng.choice(letters)}"
    return {"lines": lines, "town": town, "postcode": postcode}


@dataclass
class Person:
    name: str
    first: str  # how staff address them
    signature: str  # how they sign a letter
    nation: str
    is_organisation: bool = False
    who: str = ""  # how a staff note names them
    email: str = ""
    phone: str = ""
    handle: str = ""


class Identities:
    """Hands out contact details that no two demo customers share."""

    def __init__(self, rng: Random):
        self.rng = rng
        self.emails: set[str] = set()
        self.handles: set[str] = set()
        self.names: set[str] = set()
        self.phones = [f"07700 900{n:03d}" for n in range(1000)] + [f"01632 960{n:03d}" for n in range(1000)]
        rng.shuffle(self.phones)

    def email(self, *words: str) -> str:
        parts = [re.sub(r"[^a-z]", "", w.lower()) for w in words]
        pattern = self.rng.choice(["{a}.{b}", "{a}{b}", "{i}.{b}", "{a}_{b}{n}", "{a}.{b}{n}", "{b}{a}{n}"])
        local = pattern.format(a=parts[0], b=parts[-1], i=parts[0][:1], n=self.rng.randint(1, 99))
        domain = self.rng.choices(texts.EMAIL_DOMAINS, weights=(60, 20, 20))[0]
        address = f"{local}@{domain}"
        while address in self.emails:
            address = f"{local}{self.rng.randint(2, 999)}@{domain}"
        self.emails.add(address)
        return address

    def organisation_email(self, mailbox: str, name: str) -> str:
        slug = re.sub(r"[^a-z]", "", name.lower().replace(" ltd", ""))
        address = f"{mailbox}.{slug}@{self.rng.choice(texts.EMAIL_DOMAINS)}"
        self.emails.add(address)
        return address

    def mobile(self) -> str:
        """A mobile number nobody else has (Ofcom's drama range, 07700 900xxx), or "" when none is left."""
        index = next((i for i, n in enumerate(self.phones) if n.startswith("07")), None)
        return "" if index is None else self.phones.pop(index)

    def phone(self) -> str:
        if not self.phones:
            return ""
        number = self.phones.pop()
        style = self.rng.random()
        if style < 0.2:
            return number.replace(" ", "")
        if style < 0.3 and number.startswith("07"):
            return "+44 " + number[1:]
        return number

    def handle(self, first: str, last: str) -> str:
        base = re.sub(r"[^a-z]", "", (first + last[:1]).lower())
        handle = f"@{base}{self.rng.randint(1, 99)}"
        while handle in self.handles:
            handle = f"@{base}_{self.rng.randint(100, 9999)}"
        self.handles.add(handle)
        return handle

    def unique_name(self, nation: str) -> tuple[str, str]:
        for _ in range(30):
            first, last = self._name(nation)
            if f"{first} {last}" not in self.names:
                break
        else:
            first = f"{first} {self.rng.choice('ABCDEFGHJKLMNPRST')}."
        self.names.add(f"{first} {last}")
        return first, last

    def _name(self, nation: str) -> tuple[str, str]:
        # Most people in Scotland and Northern Ireland have locally common names; some do not.
        first_pool = texts.FIRST_NAMES[nation if self.rng.random() < 0.8 else "england"]
        last_pool = texts.LAST_NAMES[nation if self.rng.random() < 0.8 else "england"]
        return self.rng.choice(first_pool), self.rng.choice(last_pool)


def plan_people(rng: Random, count: int) -> tuple[list[Person], Identities]:
    ids = Identities(rng)
    organisations = list(texts.ORGANISATIONS)
    rng.shuffle(organisations)
    people: list[Person] = []
    for _ in range(count):
        roll = rng.random()
        humans = [p for p in people[-50:] if not p.is_organisation]
        if roll < LOOKALIKE_SHARE and humans:
            people.append(lookalike(rng, ids, rng.choice(humans)))
        elif roll < LOOKALIKE_SHARE + ORGANISATION_SHARE and organisations:
            people.append(organisation(rng, ids, organisations.pop()))
        else:
            people.append(person(rng, ids))
    return people, ids


def person(rng: Random, ids: Identities) -> Person:
    nation = rng.choices(NATIONS, weights=NATION_WEIGHTS)[0]
    first, last = ids.unique_name(nation)
    name = f"{first} {last}"
    nation = _in_wales(name, nation)
    someone = Person(name=name, first=first.split()[0], signature=name, nation=nation, who=name)
    if rng.random() < 0.9:
        someone.email = ids.email(first, last)
    if rng.random() < 0.7 or not someone.email:
        someone.phone = ids.phone()
    if not (someone.email or someone.phone):
        someone.email = ids.email(first, last)
    return someone


def organisation(rng: Random, ids: Identities, name: str) -> Person:
    first, last = ids.unique_name("england")
    role = rng.choice(["Office Manager", "Secretary", "Treasurer", "Manager"])
    org = Person(
        name=name,
        first=first,
        signature=f"{first} {last}\n{role}, {name}",
        nation="england",
        is_organisation=True,
        who=f"{first} {last} of {name}",
        email=ids.organisation_email(rng.choice(["office", "info", "accounts", "admin"]), name),
    )
    if rng.random() < 0.8:
        org.phone = ids.phone()
    return org


def lookalike(rng: Random, ids: Identities, original: Person) -> Person:
    """The same name with other contact details: maybe the same person writing from a new address."""
    first, *rest = original.name.split()
    twin = Person(
        name=original.name,
        first=original.first,
        signature=original.name,
        nation=original.nation,
        who=original.name,
    )
    twin.email = ids.email(first, rest[-1])
    if rng.random() < 0.5:
        twin.phone = ids.phone()
    return twin


def needs(ids: Identities, someone: Person, channel: str) -> None:
    """Give a customer what the channel needs: an email address to write from, a handle to post from, a
    mobile number to text from."""
    if channel in {"email", "web_form", "chat", "api"} and not someone.email:
        first, *rest = someone.name.split()
        someone.email = ids.email(first, rest[-1] if rest else "customer")
    if channel == "social" and not someone.handle:
        first, *rest = someone.name.split()
        someone.handle = ids.handle(first, rest[-1] if rest else "x")
    if channel == "sms" and not re.sub(r"\D", "", someone.phone).startswith(("07", "447")):
        someone.phone = ids.mobile() or someone.phone
