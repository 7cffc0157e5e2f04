"""Exports, the Atom feed, the reply set and downloads (inside i18n_patterns, so /en/… works too)."""

from django.urls import path, re_path

from replies import reply_set
from replies.exports import views as exports
from replies.feeds import reply_feed

FORMAT = r"(?P<format>csv|xlsx|json|docx)"

urlpatterns = [
    re_path(rf"^replies/export\.{FORMAT}$", exports.export_listing, name="reply-export"),
    path("replies/feed/", reply_feed, name="reply-feed"),
    path("set/", reply_set.reply_set_page, name="reply-set"),
    path("set/add/", reply_set.add_reply, name="reply-set-add"),
    path("set/add-listing/", reply_set.add_listing, name="reply-set-add-listing"),
    path("set/remove/", reply_set.remove_reply, name="reply-set-remove"),
    path("set/move/", reply_set.move_reply, name="reply-set-move"),
    path("set/clear/", reply_set.clear, name="reply-set-clear"),
    re_path(rf"^set/export\.{FORMAT}$", exports.export_set, name="reply-set-export"),
    path("downloads/", exports.downloads, name="downloads"),
]
