"""The export of a listing, one table of a reply as CSV and the downloads page (inside i18n_patterns, so /en/…
works too)."""

from django.urls import path, re_path

from replies.exports import views

EXPORT_FORMAT = rf"(?P<format>{'|'.join(views.EXPORTERS)})"

urlpatterns = [
    re_path(rf"^replies/export\.{EXPORT_FORMAT}$", views.export_listing, name="reply-export"),
    path("replies/<str:year>/<str:serial>/tables/<int:number>.csv", views.reply_table_csv, name="reply-table-csv"),
    path("downloads/", views.downloads, name="downloads"),
]
