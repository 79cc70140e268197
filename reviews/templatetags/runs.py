"""The stage a review run is at, stored in English by the worker, shown in the reader's language."""

import re

from django import template
from django.utils.translation import gettext

register = template.Library()

_PART = re.compile(r"summarising part (?P<number>\d+) of (?P<count>\d+)")


@register.filter
def stage_text(stage: str) -> str:
    if part := _PART.fullmatch(stage):
        return gettext("summarising part %(number)s of %(count)s") % part.groupdict()
    return gettext(stage) if stage else ""
