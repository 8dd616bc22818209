"""GeoReport v2 under /open311/: the discovery document, and the API at /open311/v2/ (docs/OPEN311.md)."""

from django.urls import path, re_path

from . import views

app_name = "open311"

# `<name>.<format>`: the format is whatever follows the last dot, so an unknown one is the view's spec-shaped 404.
FMT = r"\.(?P<fmt>[^/.]+)$"

urlpatterns = [
    re_path(r"^discovery" + FMT, views.discovery, name="discovery"),
    # The spec suggests serving the discovery document at the API's root too, where nothing else is served.
    path("v2/", views.discovery, {"fmt": "json"}, name="root"),
    re_path(r"^v2/services" + FMT, views.service_list, name="services"),
    re_path(r"^v2/services/(?P<service_code>[^/]+)" + FMT, views.service_definition, name="service"),
    re_path(r"^v2/requests" + FMT, views.requests_, name="requests"),
    re_path(r"^v2/requests/(?P<service_request_id>[^/]+)" + FMT, views.request_detail, name="request"),
    re_path(r"^(?P<path>.*)$", views.not_found, name="not_found"),
]
