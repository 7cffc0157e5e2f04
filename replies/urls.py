"""The reading pages: home, the listing and its Atom feed, replies, members, heads; and the script switch."""

from django.urls import path

from replies import views
from replies.feeds import reply_feed
from replies.script_switch import set_script

urlpatterns = [
    path("", views.home, name="home"),
    path("replies/", views.reply_list, name="reply-list"),
    path("replies/feed/", reply_feed, name="reply-feed"),
    path("replies/<str:year>/<str:serial>/", views.reply_detail, name="reply-detail"),
    path("replies/<str:year>/<str:serial>/previous/", views.reply_step, {"direction": "previous"},
         name="reply-previous"),
    path("replies/<str:year>/<str:serial>/next/", views.reply_step, {"direction": "next"}, name="reply-next"),
    path("members/", views.member_list, name="member-list"),
    path("members/<int:member_id>/", views.member_detail, name="member-detail"),
    path("heads/<int:number>/", views.head_detail, name="head-detail"),
    path("script/", set_script, name="set-script"),
]
