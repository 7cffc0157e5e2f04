"""ReplyFilter: one FilterSet for the listing, the API, the feeds and every export, so they always agree."""

from __future__ import annotations

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from replies import aliases
from replies.listing_vocabulary import (
    ANY_NOT_PROVIDED,
    MAX_INT,
    NOT_PROVIDED_KINDS,
    ORDERINGS,
    PARAMETERS,
    YEAR_PATTERN,
)
from replies.models import Head, Member, Programme, Reply, Year
from replies.reply_search import ReplySearch
from search import Query, parse_query

YEAR_FORMAT = RegexValidator(YEAR_PATTERN, _("A year looks like 2023-24."))
SEARCH_PARAMETERS = ("q", "ordering")  # applied by the search, not by filter_queryset
FIRST_FINANCIAL_YEAR = 1997  # the first HKSAR budget; LegCo's written questions on the Estimates start there


def validate_financial_year(value: str) -> None:
    """2023-24 is a financial year; 2023-25 or 1800-01 cannot be one the portal could ever hold."""
    if not YEAR_FORMAT.regex.fullmatch(value):
        return  # YEAR_FORMAT already says what a year looks like
    start, end = int(value[:4]), int(value[5:])
    if end != (start + 1) % 100 or not FIRST_FINANCIAL_YEAR <= start <= 2099:
        raise ValidationError(
            _("A financial year is two consecutive years from %(first)s on, like 2023-24."),
            params={"first": f"{FIRST_FINANCIAL_YEAR}-{(FIRST_FINANCIAL_YEAR + 1) % 100:02d}"},
        )


class IntegerFilter(django_filters.Filter):
    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 0)
        kwargs.setdefault("max_value", MAX_INT)
        super().__init__(*args, **kwargs)


def _ids(queryset) -> list[int]:
    return list(queryset.order_by().values_list("id", flat=True))


def search_query_from(value: str | None) -> Query | None:
    """The parsed query for a ``q`` value, or None when no q was given (blank counts as none)."""
    return parse_query(value, aliases.table()) if value and value.strip() else None


def _declared(name: str, filter_class=django_filters.CharFilter, **kwargs):
    """The filter for the listing parameter ``name``, labelled and limited as listing_vocabulary says."""
    parameter = PARAMETERS[name]
    if parameter.max_length is not None:
        kwargs["max_length"] = parameter.max_length
    return filter_class(label=parameter.label, **kwargs)


class ReplyFilter(django_filters.FilterSet):
    """The listing's parameters, validated, and every filter but q; q and ordering are the search's
    (replies.reply_search), which needs the replies of the other filters before it searches them."""

    q = _declared("q")
    year = _declared("year", method="filter_year", validators=[YEAR_FORMAT, validate_financial_year])
    member = _declared("member", method="filter_member")
    head = _declared("head", IntegerFilter, method="filter_head")
    programme = _declared("programme", IntegerFilter, method="filter_programme")
    subhead = _declared("subhead", method="filter_subhead")
    not_provided = _declared(
        "not_provided", django_filters.ChoiceFilter, method="filter_not_provided",
        choices=[(kind, kind) for kind in (*NOT_PROVIDED_KINDS, ANY_NOT_PROVIDED)],
    )
    ordering = _declared(
        "ordering", django_filters.ChoiceFilter, choices=[(key, key) for key in ORDERINGS], empty_label=None
    )

    class Meta:
        model = Reply
        fields: list[str] = []

    # Year, member, head and programme are looked up first and filtered by id: with a constant the planner reads
    # the statistics of the reply's own column; through a join on the head's number it expected one reply of
    # 10,000 and read every reply of the head of a programme one by one.

    def filter_year(self, queryset, name, value):
        return queryset.filter(year_id__in=_ids(Year.objects.filter(label=value)))

    def filter_member(self, queryset, name, value):
        return queryset.filter(member_id__in=_ids(Member.objects.filter(name=value)))

    def filter_head(self, queryset, name, value: int):  # the hint types the OpenAPI parameter
        return queryset.filter(head_id__in=_ids(Head.objects.filter(number=value)))

    def filter_programme(self, queryset, name, value: int):
        """Replies filed under programme ``value`` (of the chosen head, when one is chosen). The links are read
        as one set (a hashed semi-join), not probed once per reply of the head."""
        programmes = Programme.objects.filter(number=value)
        head = self.form.cleaned_data.get("head") if self.form.is_valid() else None
        if head is not None:
            programmes = programmes.filter(head__number=head)
        links = Reply.programmes.through.objects.filter(programme_id__in=_ids(programmes))
        return queryset.filter(pk__in=links.values("reply_id"))

    def filter_subhead(self, queryset, name, value):
        return queryset.filter(Q(subhead_code=value) | Q(subhead_title=value))

    def filter_not_provided(self, queryset, name, value):
        if value == ANY_NOT_PROVIDED:
            return queryset.exclude(not_provided_kinds=[])
        return queryset.filter(not_provided_kinds__contains=[value])

    def filter_queryset(self, queryset):
        """Every filter but q and ordering, in the order they are declared."""
        for name, value in self.form.cleaned_data.items():
            if name not in SEARCH_PARAMETERS:
                queryset = self.filters[name].filter(queryset, value)
        return queryset

    @property
    def unsearched(self):
        """The replies of every filter but the search: what q then searches."""
        queryset = self.queryset.all()
        if not self.is_bound:
            return queryset
        self.is_valid()  # cleans the form: cleaned_data then holds every valid parameter
        return self.filter_queryset(queryset)

    @property
    def qs(self):
        """The filtered, searched, ordered replies. Each call makes a new search: read ``ReplySearch`` instead
        when more than the replies is needed."""
        return ReplySearch.from_filterset(self).replies

    @property
    def search_query(self) -> Query | None:
        """The parsed q of valid parameters; None without q or when a parameter is not valid."""
        return search_query_from(self.form.cleaned_data.get("q")) if self.is_bound and self.is_valid() else None

    @property
    def ordering_key(self) -> str:
        """The ordering asked for, or "" for the default (relevance with a query, serial order without)."""
        return (self.form.cleaned_data.get("ordering") if self.is_bound and self.is_valid() else "") or ""
