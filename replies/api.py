"""The read-only JSON API: /api/replies/ and /api/replies/<year>/<serial>/."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import get_object_or_404
from django_filters import utils
from drf_spectacular.utils import extend_schema_field
from rest_framework import generics, serializers

from replies.filters import ReplyFilter
from replies.highlighting import reply_snippet
from replies.listing_vocabulary import PAGE_PARAMETER
from replies.models import Reply
from replies.pagination import ReplyPagination
from replies.reading_store import related_replies
from replies.reply_search import ReplySearch
from replies.tables.model import public


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
    tables = serializers.SerializerMethodField(
        help_text="The tables of question and reply as data: field, caption, header (one label per column), rows "
        "(cells as printed), notes; reconstructed is false where the columns could not be recovered, and rows are "
        "then the source lines' cells; source_lines are the lines as extracted from the PDF."
    )

    keywords = serializers.ListField(child=serializers.CharField(), help_text="3 to 6 terms that set the reply apart.")
    not_provided = serializers.ListField(
        child=serializers.DictField(),
        help_text='What the reply said it did not give: [{"kind": "not_kept" | "withheld" | "not_yet", "evidence": the '
        "sentence of the reply that says so}] (docs/NOT_PROVIDED.md).",
    )

    class Meta:
        model = Reply
        fields = [
            "serial",
            "year",
            "subject",
            "keywords",
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
            "tables",
            "not_provided",
            "source",
            "url",
            "highlight",
        ]

    def get_source(self, reply: Reply) -> dict:
        return {"file": reply.source_file, "page": reply.source_page}

    def get_tables(self, reply: Reply) -> list[dict]:
        return [public(table) for table in reply.tables]

    def get_highlight(self, reply: Reply) -> str | None:
        query = self.context.get("search_query")
        return None if query is None else str(reply_snippet(reply, query))


class RelatedReplySerializer(serializers.Serializer):
    serial = serializers.CharField(source="reply.serial")
    year = serializers.CharField(source="reply.year.label")
    member = serializers.CharField(source="reply.member.name")
    subject = serializers.CharField(source="reply.subject")
    url = serializers.CharField(source="reply.get_absolute_url")
    shared = serializers.ListField(child=serializers.CharField(), help_text="The names both replies are about.")


class ReplyDetailSerializer(ReplySerializer):
    related = serializers.SerializerMethodField(
        help_text="Up to five other replies on the same specific subject (scheme, project, organisation, facility), "
        "best first, each with the names it shares; empty when nobody else asked about it."
    )

    class Meta(ReplySerializer.Meta):
        fields = [*ReplySerializer.Meta.fields, "related"]

    @extend_schema_field(RelatedReplySerializer(many=True))
    def get_related(self, reply: Reply) -> list[dict]:
        pairs = [{"reply": other, "shared": shared} for other, shared in related_replies(reply)]
        return RelatedReplySerializer(pairs, many=True).data


class ReplyListAPI(generics.ListAPIView):
    """One page of a ReplySearch; each result's highlight comes from the search's parsed q."""

    serializer_class = ReplySerializer
    pagination_class = ReplyPagination
    filterset_class = ReplyFilter  # also read by the schema generator
    queryset = Reply.objects.all()

    def list(self, request, *args, **kwargs):
        search = ReplySearch.from_filterset(self.valid_filterset(), request.query_params.get(PAGE_PARAMETER))
        page = self.paginate_queryset(search)
        context = {**self.get_serializer_context(), "search_query": search.query}
        return self.get_paginated_response(ReplySerializer(page, many=True, context=context).data)

    def valid_filterset(self) -> ReplyFilter:
        """The request's filters; a 400 naming each invalid parameter, as django-filter's DRF backend answers."""
        filterset = ReplyFilter(self.request.query_params, queryset=self.get_queryset(), request=self.request)
        if not filterset.is_valid():
            raise utils.translate_validation(filterset.errors)
        return filterset


class ReplyDetailAPI(generics.RetrieveAPIView):
    serializer_class = ReplyDetailSerializer

    def get_object(self):
        year, serial = self.kwargs["year"], self.kwargs["serial"]
        if "\x00" in year + serial:  # PostgreSQL text cannot hold NUL: no reply can match
            raise Http404
        return get_object_or_404(Reply.objects.with_related(), year__label=year, serial=serial)
