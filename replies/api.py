"""The read-only JSON API: /api/replies/ and /api/replies/<year>/<serial>/."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import get_object_or_404
from rest_framework import generics, serializers

from replies.filters import ReplyFilter, search_query_from
from replies.highlighting import reply_snippet
from replies.models import Reply
from replies.pagination import ReplyPagination

class NamedNumberSerializer(serializers.Serializer):
    number = serializers.IntegerField()
    name = serializers.CharField()


class ReplySerializer(serializers.ModelSerializer):
    year = serializers.CharField(source="year.label")
    member = serializers.CharField(source="member.name")
    head = NamedNumberSerializer()
    programmes = NamedNumberSerializer(many=True)
    subhead = serializers.CharField()
    controlling_officer = serializers.CharField()
    source = serializers.SerializerMethodField()
    url = serializers.CharField(source="get_absolute_url")
    highlight = serializers.SerializerMethodField(help_text="With q: a snippet around the best hit as HTML, hits in <mark>.")

    class Meta:
        model = Reply
        fields = [
            "serial",
            "year",
            "question_serial",
            "member",
            "legco_reference",
            "head",
            "subhead",
            "programmes",
            "controlling_officer",
            "director_of_bureau",
            "question",
            "reply",
            "source",
            "url",
            "highlight",
        ]

    def get_source(self, reply: Reply) -> dict:
        return {"file": reply.source_file, "page": reply.source_page}

    def get_highlight(self, reply: Reply) -> str | None:
        query = self.context.get("search_query")
        return None if query is None else str(reply_snippet(reply, query))


class ReplyListAPI(generics.ListAPIView):
    serializer_class = ReplySerializer
    pagination_class = ReplyPagination
    filterset_class = ReplyFilter
    queryset = Reply.objects.all()

    def get_serializer_context(self):
        """The parsed q, read exactly as ReplyFilter reads it, for each result's highlight."""
        return {**super().get_serializer_context(), "search_query": search_query_from(self.request.query_params.get("q"))}


class ReplyDetailAPI(generics.RetrieveAPIView):
    serializer_class = ReplySerializer

    def get_object(self):
        year, serial = self.kwargs["year"], self.kwargs["serial"]
        if "\x00" in year + serial:  # PostgreSQL text cannot hold NUL: no reply can match
            raise Http404
        return get_object_or_404(Reply.objects.with_related(), year__label=year, serial=serial)
