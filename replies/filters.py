"""ReplyFilter: one FilterSet for the listing, the API, the feeds and every export, so they always agree."""

from __future__ import annotations

import django_filters
from django import forms
from django.core.validators import RegexValidator
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _

from replies.models import Reply

MAX_INT = 2**31 - 1  # PostgreSQL integer: a larger number is a bad request, not a database error
YEAR_FORMAT = RegexValidator(r"^\d{4}-\d{2}$", _("A year looks like 2023-24."))


class IntegerFilter(django_filters.Filter):
    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 0)
        kwargs.setdefault("max_value", MAX_INT)
        super().__init__(*args, **kwargs)


ORDERINGS = {
    "serial": ("year__label", "serial"),
    "-serial": ("-year__label", "-serial"),
    "question_serial": ("question_serial", "year__label", "serial"),
    "-question_serial": ("-question_serial", "year__label", "serial"),
    "member": ("member__name", "year__label", "serial"),
    "-member": ("-member__name", "year__label", "serial"),
}


class ReplyFilter(django_filters.FilterSet):
    year = django_filters.CharFilter(field_name="year__label", validators=[YEAR_FORMAT], max_length=7)
    member = django_filters.CharFilter(field_name="member__name", max_length=100)
    head = IntegerFilter(field_name="head__number")
    programme = IntegerFilter(method="filter_programme")
    subhead = django_filters.CharFilter(method="filter_subhead", max_length=300)
    ordering = django_filters.ChoiceFilter(
        method="filter_ordering",
        choices=[(key, key) for key in ORDERINGS],
        empty_label=None,
    )

    class Meta:
        model = Reply
        fields: list[str] = []

    def filter_programme(self, queryset, name, value):
        through = Reply.programmes.through.objects.filter(reply_id=OuterRef("pk"), programme__number=value)
        return queryset.filter(Exists(through))

    def filter_subhead(self, queryset, name, value):
        return queryset.filter(subhead_code=value) | queryset.filter(subhead_title=value)

    def filter_ordering(self, queryset, name, value):
        return queryset.order_by(*ORDERINGS[value])

    @property
    def qs(self):
        queryset = super().qs
        if not self.form.cleaned_data.get("ordering"):
            queryset = queryset.in_serial_order()
        return queryset.with_related()
