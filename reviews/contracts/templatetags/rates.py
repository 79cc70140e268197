from django import template

register = template.Library()


@register.filter
def percent(value) -> str:
    return "—" if value is None else f"{value:.0%}"


@register.simple_tag
def field(row: dict, key: str):
    return row.get(key)
