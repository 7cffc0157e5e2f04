"""ReplyFilter: one FilterSet for the listing, the API, the feeds and every export, so they always agree."""

from __future__ import annotations

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from replies.models import Head, Member, Programme, Reply, Year
from search import Query, parse_query

MAX_INT = 2**31 - 1  # PostgreSQL integer: a larger number is a bad request, not a database error
YEAR_FORMAT = RegexValidator(r"^\d{4}-\d{2}$", _("A year looks like 2023-24."))
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


MAX_QUERY_LENGTH = 500  # a longer q is a 400 with a message (the parser would read only this much anyway)
RELEVANCE = "relevance"  # best first; the default with q, serial order without it
ORDERINGS = {
    "serial": ("year__label", "serial"),
    "-serial": ("-year__label", "-serial"),
    "question_serial": ("question_serial", "year__label", "serial"),
    "-question_serial": ("-question_serial", "year__label", "serial"),
    "member": ("member__name", "year__label", "serial"),
    "-member": ("-member__name", "year__label", "serial"),
}


def _ids(queryset) -> list[int]:
    return list(queryset.order_by().values_list("id", flat=True))


def search_query_from(value: str | None) -> Query | None:
    """The parsed query for a ``q`` value, or None when no q was given (blank counts as none)."""
    return parse_query(value) if value and value.strip() else None


class ReplyFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_search", max_length=MAX_QUERY_LENGTH, label=_("search"))
    year = django_filters.CharFilter(
        method="filter_year", validators=[YEAR_FORMAT, validate_financial_year], max_length=7
    )
    member = django_filters.CharFilter(method="filter_member", max_length=100)
    head = IntegerFilter(method="filter_head")
    programme = IntegerFilter(method="filter_programme")
    subhead = django_filters.CharFilter(method="filter_subhead", max_length=300)
    ordering = django_filters.ChoiceFilter(
        method="filter_ordering",
        choices=[(key, key) for key in [RELEVANCE, *ORDERINGS]],
        empty_label=None,
    )

    class Meta:
        model = Reply
        fields: list[str] = []

    # Year, member, head and programme are looked up first and filtered by id: with a constant the planner reads
    # the statistics of the reply's own column; through a join on the head's number it expected one reply of
    # 10,000 and read a head's 6,312 replies of a programme one by one (at 200,000 replies, 34 -> 16 ms).

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

    search_query: Query | None = None  # set by .qs: the parsed q, for highlighting and display
    unsearched = None  # set by .qs when q is given: the queryset of every other filter

    def filter_queryset(self, queryset):
        """Every filter, q last: filter_search then holds the rows of all the other filters (``unsearched``)."""
        cleaned = self.form.cleaned_data
        for name in sorted(cleaned, key=lambda name: name == "q"):
            queryset = self.filters[name].filter(queryset, cleaned[name])
        return queryset

    def filter_search(self, queryset, name, value):
        self.search_query = search_query_from(value)
        self.unsearched = queryset
        return queryset if self.search_query is None else queryset.search(self.search_query)

    def filter_ordering(self, queryset, name, value):
        return queryset  # applied in .qs, after the search has annotated the rank

    @property
    def qs(self):
        if not hasattr(self, "_qs"):
            self.search_query = None
            queryset = super().qs
            if self.search_query is not None:
                queryset = queryset.with_matches_read_once(self.search_query)
            pinned_count = getattr(queryset, "pinned_count", None)
            self._qs = self._ordered(queryset).with_related()
            if self._qs.orders_by_relevance:
                self._qs = self._qs.with_top_tier(self.search_query, self.unsearched)
            self._qs.known_count = pinned_count  # read by IdFirstPaginator.count; lost by any further clone
        return self._qs

    def _ordered(self, queryset):
        """Relevance by default with a query; serial order without one (relevance then falls back to it)."""
        ordering = (self.form.cleaned_data.get("ordering") if self.is_bound and self.form.is_valid() else "") or ""
        searching = self.search_query is not None and not self.search_query.is_empty
        if ordering in ("", RELEVANCE):
            return queryset.by_relevance() if searching else queryset.in_serial_order()
        return queryset.order_by(*ORDERINGS[ordering])
