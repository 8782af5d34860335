from django import template
from django.conf import settings

from amends.core.files import ACCEPT_ATTRIBUTE, limits_text

register = template.Library()


@register.filter
def person(user, empty="—"):
    """A staff member's name for display, or `empty` when there is nobody (unassigned, the system)."""
    if user is None:
        return empty
    return user.get_full_name() or user.get_username()


@register.filter
def get_item(mapping, key):
    """mapping[key] in a template, or None: for the per-row dictionaries a selector prepares."""
    try:
        return mapping.get(key)
    except AttributeError:
        return None


@register.filter
def words(value):
    """A code as words: "final_response" -> "Final response"."""
    text = str(value or "").replace("_", " ").replace("-", " ").strip()
    return text[:1].upper() + text[1:]


@register.inclusion_tag("core/_file_input.html")
def file_input(id: str, label: str = "Attach files", suffix: object = "", name: str = "files"):
    """A box for files (several at once, or dropped on it where scripts run: static/amends/dropzone.js),
    saying what is accepted; the server checks every file again whatever the browser allowed. `suffix`
    makes the id unique where the box repeats (one per letter)."""
    return {
        "id": f"{id}-{suffix}" if suffix != "" else id,
        "label": label,
        "name": name,
        "accept": ACCEPT_ATTRIBUTE,
        "limits": limits_text(),
        "max_bytes": settings.AMENDS_ATTACHMENT_MAX_BYTES,
    }
