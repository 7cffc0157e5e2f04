from django.urls import path
from drf_spectacular.views import SpectacularAPIView

from replies import api_docs

urlpatterns = [
    path("", api_docs.api_documentation, name="api-docs"),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("replies/", api_docs.DocumentedReplyList.as_view(), name="api-reply-list"),
    path("replies/<str:year>/<str:serial>/", api_docs.DocumentedReplyDetail.as_view(), name="api-reply-detail"),
]
