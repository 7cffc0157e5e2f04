"""Page numbers and sizes, validated: a bad value is a 400 with a message, never a silent clamp."""

from __future__ import annotations

from django.core.paginator import Paginator
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination

MAX_PAGE_SIZE = 500


class IdFirstPaginator(Paginator):
    """Pages whose ids are chosen by a narrow query (ids and sort keys only), then read in full by id.

    Why: ordering a search for a common word sorts every match; carrying every column and the member, head
    and year joins through that sort cost more than choosing the page (at 200,000 replies, 100,000 rows)."""

    def _get_page(self, object_list, number, paginator):
        if not hasattr(object_list, "values_list"):  # a list: nothing to gain
            return super()._get_page(object_list, number, paginator)
        ids = list(object_list.prefetch_related(None).values_list("pk", flat=True))
        rows = self.object_list.model.objects.with_related().in_bulk(ids)
        return super()._get_page([rows[pk] for pk in ids if pk in rows], number, paginator)


class ReplyPagination(PageNumberPagination):
    django_paginator_class = IdFirstPaginator
    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE

    def get_page_size(self, request):
        """DRF silently clamps a bad page_size; a person who typed one deserves to be told."""
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return self.page_size
        if not raw.isdigit() or not 1 <= int(raw) <= self.max_page_size:
            raise ValidationError({"page_size": f"page_size must be a whole number from 1 to {self.max_page_size}."})
        return int(raw)

    def paginate_queryset(self, queryset, request, view=None):
        raw = request.query_params.get(self.page_query_param, "1")
        if raw != "last" and (not raw.isdigit() or int(raw) < 1):
            raise ValidationError({"page": "page must be a whole number from 1."})
        return super().paginate_queryset(queryset, request, view)
