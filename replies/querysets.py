"""ReplyQuerySet: the one place that knows how replies are looked up and ordered."""

from __future__ import annotations

from django.db import models


class ReplyQuerySet(models.QuerySet):
    def with_related(self) -> "ReplyQuerySet":
        """Everything a listing, the API or an export shows, in a fixed number of queries."""
        return self.select_related("year", "member", "head").prefetch_related("programmes")

    def in_serial_order(self) -> "ReplyQuerySet":
        return self.order_by("year__label", "serial")
