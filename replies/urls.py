from django.urls import path

from replies import views

urlpatterns = [
    path("replies/<str:year>/<str:serial>/", views.reply_detail, name="reply-detail"),
    path("members/<int:member_id>/", views.member_detail, name="member-detail"),
    path("heads/<int:number>/", views.head_detail, name="head-detail"),
]
