"""HTML pages: thin functions over ReplyFilter and the models."""

from __future__ import annotations

from django.shortcuts import get_object_or_404, render

from replies.models import Head, Member, Reply


def reply_detail(request, year: str, serial: str):
    reply = get_object_or_404(Reply.objects.with_related(), year__label=year, serial=serial)
    return render(request, "replies/reply_detail.html", {"reply": reply})


def member_detail(request, member_id: int):
    member = get_object_or_404(Member, pk=member_id)
    return render(request, "replies/member_detail.html", {"member": member, "replies": member.replies.with_related()})


def head_detail(request, number: int):
    head = get_object_or_404(Head, number=number)
    return render(request, "replies/head_detail.html", {"head": head, "replies": head.replies.with_related()})
