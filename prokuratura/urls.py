from django.urls import include, path
from django.views.i18n import set_language

from prokuratura.api import api, api_docs
from prokuratura.core.permissions import PUBLIC, declare

urlpatterns = [
    path("i18n/setlang/", declare(set_language, PUBLIC), name="set_language"),
    path("accounts/", include("prokuratura.accounts.urls")),
    path("appeals/", include("prokuratura.appeals.urls")),
    path("cooperation/", include("prokuratura.cooperation.urls")),
    path("supervision/", include("prokuratura.supervision.urls")),
    path("relations/", include("prokuratura.relations.urls")),
    path("open311/", include("prokuratura.open311.urls")),
    path("api/docs/", api_docs, name="api_docs"),
    path("api/v1/", api.urls),
    path("", include("prokuratura.core.urls")),
]

handler400 = "prokuratura.core.views.bad_request"
handler403 = "prokuratura.core.views.permission_denied"
handler404 = "prokuratura.core.views.page_not_found"
handler500 = "prokuratura.core.views.server_error"
