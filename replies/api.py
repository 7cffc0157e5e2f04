"""The read-only JSON API: /api/replies/ and /api/replies/<year>/<serial>/."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from rest_framework import generics, serializers

from replies.filters import ReplyFilter
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
        ]

    def get_source(self, reply: Reply) -> dict:
        return {"file": reply.source_file, "page": reply.source_page}


class ReplyListAPI(generics.ListAPIView):
    serializer_class = ReplySerializer
    pagination_class = ReplyPagination
    filterset_class = ReplyFilter
    queryset = Reply.objects.all()


class ReplyDetailAPI(generics.RetrieveAPIView):
    serializer_class = ReplySerializer

    def get_object(self):
        return get_object_or_404(Reply.objects.with_related(), year__label=self.kwargs["year"], serial=self.kwargs["serial"])
