"""The listing's vocabulary in templates: forms limit what they accept as the listing's validation does."""

from __future__ import annotations

from django import template

from replies.listing_vocabulary import PARAMETERS

register = template.Library()


@register.simple_tag
def max_length(name: str) -> int:
    """The longest value the listing accepts for parameter ``name`` ({% max_length "q" %})."""
    return PARAMETERS[name].max_length
