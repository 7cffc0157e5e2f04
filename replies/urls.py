from django.urls import path

from replies import views
from replies.script_switch import set_script

urlpatterns = [
    path("", views.home, name="home"),
    path("replies/", views.reply_list, name="reply-list"),
    path("replies/<str:year>/<str:serial>/", views.reply_detail, name="reply-detail"),
    path("members/", views.member_list, name="member-list"),
    path("members/<int:member_id>/", views.member_detail, name="member-detail"),
    path("heads/<int:number>/", views.head_detail, name="head-detail"),
    path("script/", set_script, name="set-script"),
]
