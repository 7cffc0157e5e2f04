"""The reply set's page, its forms and its export (inside i18n_patterns, so /en/set/ works too)."""

from django.urls import path, re_path

from replies.exports.urls import EXPORT_FORMAT
from replies.reply_set import views

urlpatterns = [
    path("set/", views.reply_set_page, name="reply-set"),
    path("set/add/", views.add_reply, name="reply-set-add"),
    path("set/add-listing/", views.add_listing, name="reply-set-add-listing"),
    path("set/remove/", views.remove_reply, name="reply-set-remove"),
    path("set/move/", views.move_reply, name="reply-set-move"),
    path("set/clear/", views.clear, name="reply-set-clear"),
    re_path(rf"^set/export\.{EXPORT_FORMAT}$", views.export_set, name="reply-set-export"),
]
