"""Exports, feeds, the reply set and downloads (owned by the exports work)."""

urlpatterns: list = []
