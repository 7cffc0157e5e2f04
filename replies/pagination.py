"""Page numbers and sizes, validated: a bad value is a 400 with a message, never a silent clamp."""

from __future__ import annotations

from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination

MAX_PAGE_SIZE = 500


class ReplyPagination(PageNumberPagination):
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
