from django import template

from reviews.contracts import categories as labels

register = template.Library()


@register.filter
def category_label(category: str) -> str:
    """A clause category's name in the active language."""
    return labels.category_label(category)


@register.filter
def percent(value) -> str:
    return "—" if value is None else f"{value:.0%}"


@register.simple_tag
def field(row: dict, key: str):
    return row.get(key)
