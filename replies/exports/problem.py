"""The page an export or a reply-set action answers with when it cannot do what was asked."""

from __future__ import annotations

from django.shortcuts import render


def problem(request, title: str, message: str, status: int, **extra):
    return render(request, "exports/problem.html", {"title": title, "message": message, **extra}, status=status)
