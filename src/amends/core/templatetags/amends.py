from django import template

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
