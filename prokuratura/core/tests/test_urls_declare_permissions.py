"""Deny by default: every route in the URL conf declares who may open it."""

from django.urls import URLPattern, URLResolver, get_resolver

from prokuratura.core.permissions import AUTHENTICATED, PUBLIC


def _walk(patterns, prefix=""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            yield from _walk(entry.url_patterns, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), entry.callback


def all_routes():
    return list(_walk(get_resolver().url_patterns))


def test_every_route_declares_an_access_policy():
    undeclared = [route for route, callback in all_routes() if not getattr(callback, "access_policy", None)]
    assert undeclared == []


def test_policies_are_known_permission_codes():
    from prokuratura.accounts.roles import ALL_PERMISSIONS

    known = set(ALL_PERMISSIONS) | {PUBLIC, AUTHENTICATED, "api"}
    unknown = {
        route: callback.access_policy
        for route, callback in all_routes()
        if getattr(callback, "access_policy", None) not in known
    }
    assert unknown == {}


def test_the_walk_sees_the_routes_it_must_check():
    routes = [route for route, _callback in all_routes()]
    assert "accounts/login/" in routes
    assert any(route.startswith("api/v1/") for route in routes)


def test_public_routes_are_the_expected_few():
    """A new public page must be added here on purpose: anything else needs an account."""
    public = sorted(route for route, callback in all_routes() if callback.access_policy == PUBLIC)
    # The public appeal pages: members of the public file and follow appeals without an account. Open311: the
    # same for applications (an api_key, checked by the views, to file; the tracking code to follow).
    allowed_prefixes = ("accounts/login/", "i18n/setlang/", "appeals/public/", "open311/")
    assert [r for r in public if not r.startswith(allowed_prefixes)] == []


def test_an_undeclared_view_is_refused_at_run_time(rf, cast):
    from django.http import HttpResponse

    from prokuratura.core.middleware import AccessPolicyMiddleware

    def naked_view(request):  # declares nothing
        return HttpResponse("secret")

    middleware = AccessPolicyMiddleware(lambda request: HttpResponse())
    request = rf.get("/")
    request.user = cast.admin
    import pytest
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        middleware.process_view(request, naked_view, (), {})
