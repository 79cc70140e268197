"""Screening evidence, rating reasons and what a summary read, stored by the engines, shown in the user's language."""

from django import template
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from reviews.counterparties.models import JurisdictionRisk
from reviews.counterparties.rating import reason_text

register = template.Library()


@register.filter
def adjustment_text(adjustment: dict) -> str:
    """An adjustment of a hit's score: its template translated, then filled in (hits screened before
    templates were stored show their English detail)."""
    if adjustment.get("template"):
        return gettext(adjustment["template"]) % adjustment.get("params", {})
    return adjustment.get("detail", "")


@register.filter
def rating_level(level: str | None) -> str:
    return str(JurisdictionRisk.Level(level).label) if level in JurisdictionRisk.Level.values else ""


@register.filter
def rating_reason(reason: str) -> str:
    return reason_text(reason)


# How a listed name was written, how it was compared and what adjusted the score, as the matcher records them.
_TERMS = {
    "primary name": _("primary name"), "alias": _("alias"), "original script": _("original script"),
    "a.k.a.": _("a.k.a."), "f.k.a.": _("f.k.a."), "n.k.a.": _("n.k.a."), "Good": _("good-quality alias"),
    "Low": _("low-quality alias"), "tokens": _("word by word"), "consonants": _("by consonants"),
    "syllables": _("by syllables"), "joined": _("spacing ignored"),
    "birth_date": _("date of birth"), "birth_year": _("birth year"), "country": _("country"),
    "nationality": _("nationality"), "gender": _("gender"), "type": _("type"), "alias_quality": _("alias quality"),
}


@register.filter
def screening_term(term: str) -> str:
    """A term of a hit's explanation in the user's language; a list's own wording as it is."""
    return str(_TERMS.get(term, term))


@register.filter
def coverage_text(cover: dict) -> str:
    """What the summary read of one document (runs._coverage)."""
    if cover["parts_read"] == cover["parts"]:
        return gettext("%(name)s: all of it") % cover
    if cover.get("pages_read") and cover.get("pages"):
        return gettext("%(name)s: pages 1 to %(pages_read)s of %(pages)s") % cover
    return gettext("%(name)s: the first %(characters_read)s of %(characters)s characters") % cover
