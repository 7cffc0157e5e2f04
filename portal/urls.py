from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/", include("replies.api_urls")),
    path("i18n/", include("django.conf.urls.i18n")),
] + i18n_patterns(
    path("", include("replies.exports.urls")),
    path("", include("replies.reply_set.urls")),
    path("", include("replies.urls")),
    prefix_default_language=False,
)

handler500 = "portal.database_outage.server_error"
