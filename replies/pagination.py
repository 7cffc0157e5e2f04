"""Pages of a search, and the API's page numbers and sizes, validated: a bad value is a 400 with a message, never a
silent clamp."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.db.models import Count, Window
from django.utils.functional import cached_property
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination

from replies.listing_vocabulary import API_PAGE_SIZE, MAX_PAGE_SIZE, PAGE_PARAMETER, PAGE_SIZE_PARAMETER
from replies.reply_search import ReplySearch

MAX_OFFSET = 2**63 - 1  # PostgreSQL's OFFSET and LIMIT are bigint: a page beyond is past any end


class IdFirstPaginator(Paginator):
    """Pages of a ReplySearch whose ids are chosen by a narrow query (ids and sort keys only), then read in full
    by id.

    Why: ordering a search for a common word sorts every match; carrying every column and the member, head
    and year joins through that sort cost more than choosing the page. A relevance order is told the count
    first (``ReplyQuerySet.for_result_count``), so the database need not probe for it; any other order of a
    filtered set counts in the same statement that chooses the page (``count(*) OVER ()``), so the matches are
    found once, not once for the count and again for the page. Every reply, unfiltered, is counted apart: the
    count then scans the table alone, and the page comes from the serial index without visiting the rest. A count the search was given (the listing's facets counted the matches)
    is used as it is."""

    def __init__(self, search: ReplySearch, per_page: int, **kwargs):
        super().__init__(search.replies, per_page, **kwargs)
        self.search = search
        if search.counted is not None:
            self.count = search.counted

    @cached_property
    def count(self):
        """The count the search knows (the ids a phrase was pinned to), or a COUNT statement."""
        known = self.search.known_count
        return super().count if known is None else known

    def page(self, number):
        if self.search.orders_by_relevance:
            self.object_list = self.search.replies_for_count(self.count)
            page = self._coarse_page(number)
            if page is not None:
                return page
        elif "count" not in self.__dict__ and not self.orphans and self.object_list.query.where:
            ids = self._ids_and_count(number)
            if ids is not None:
                return self._page_of_ids(ids, self.validate_number(number))
        return super().page(number)

    def _coarse_page(self, number):
        """The page of a coarse relevance order taken from the pinned ids or the top tier
        (``ReplySearch.coarse_page_ids``), or None."""
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        ids = self.search.coarse_page_ids(self.count, bottom, top)
        return None if ids is None else self._page_of_ids(ids, number)

    def _ids_and_count(self, number) -> list | None:
        """The ids of page ``number`` and, as a side effect, the count; None when the page is empty or not a
        page number (the usual path then says why)."""
        if not str(number).isdigit() or int(number) < 1:
            return None
        bottom = (int(number) - 1) * self.per_page
        if bottom + self.per_page > MAX_OFFSET:  # past the end: the usual path counts and says so
            return None
        counted = self.object_list.prefetch_related(None).annotate(total_count=Window(Count("pk")))
        rows = list(counted.values_list("pk", "total_count")[bottom : bottom + self.per_page])
        if not rows:
            return None
        self.count = rows[0][1]
        return [pk for pk, _ in rows]

    def _get_page(self, object_list, number, paginator):
        return self._page_of_ids(list(object_list.prefetch_related(None).values_list("pk", flat=True)), number)

    def _page_of_ids(self, ids: list, number: int):
        rows = self.object_list.model.objects.with_related(search_text=True).in_bulk(ids)
        return super()._get_page([rows[pk] for pk in ids if pk in rows], number, self)


class ReplyPagination(PageNumberPagination):
    """The API's pages of a ReplySearch (``paginate_queryset`` is given the search, not a queryset)."""

    django_paginator_class = IdFirstPaginator
    page_size = API_PAGE_SIZE
    page_query_param = PAGE_PARAMETER
    page_size_query_param = PAGE_SIZE_PARAMETER
    max_page_size = MAX_PAGE_SIZE

    def get_page_size(self, request):
        """DRF silently clamps a bad page_size; a person who typed one deserves to be told."""
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return self.page_size
        if not raw.isdigit() or not 1 <= int(raw) <= self.max_page_size:
            raise ValidationError({"page_size": f"page_size must be a whole number from 1 to {self.max_page_size}."})
        return int(raw)

    def get_page_number(self, request, paginator):
        """The page the search was made for ("last" is the last one)."""
        number = paginator.search.page_number or 1
        return paginator.num_pages if number in self.last_page_strings else number

    def paginate_queryset(self, search, request, view=None):
        raw = request.query_params.get(self.page_query_param, "1")
        if raw != "last" and (not raw.isdigit() or int(raw) < 1):
            raise ValidationError({"page": "page must be a whole number from 1."})
        self.expanded = expanded_terms(search.query)
        return super().paginate_queryset(search, request, view)

    def get_paginated_response(self, data):
        """{count, next, previous, expanded, results}: ``expanded`` says which terms were searched as aliases."""
        response = super().get_paginated_response(data)
        response.data = {**{key: value for key, value in response.data.items() if key != "results"},
                         "expanded": getattr(self, "expanded", {}), "results": response.data["results"]}
        return response

    def get_paginated_response_schema(self, schema):
        described = super().get_paginated_response_schema(schema)
        described["properties"]["expanded"] = {
            "type": "object", "additionalProperties": {"type": "array", "items": {"type": "string"}},
            "description": EXPANDED_HELP, "example": {"資科辦": ["政府資訊科技總監辦公室", "OGCIO"]}}
        return described


EXPANDED_HELP = ("Each unquoted term of q that is a name in the alias table (a body, scheme, fund or place), with the "
                 "other names of it that were searched too; {} when none. Quote a term to search it alone.")


def expanded_terms(query) -> dict[str, list[str]]:
    """{term as typed: the other forms of its alias group searched too} of a parsed query (None: no q)."""
    return {} if query is None else {term: list(forms) for term, forms in query.expanded}
