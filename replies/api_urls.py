from django.urls import path

from replies import api

urlpatterns = [
    path("replies/", api.ReplyListAPI.as_view(), name="api-reply-list"),
    path("replies/<str:year>/<str:serial>/", api.ReplyDetailAPI.as_view(), name="api-reply-detail"),
]
