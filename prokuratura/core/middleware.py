import ipaddress
import logging
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.http import HttpRequest

logger = logging.getLogger(__name__)

# Django's own views that are safe for anyone: static files in development and nothing else.
_ALLOWED_UNDECLARED = {"django.views.static.serve", "django.contrib.staticfiles.views.serve"}


class AccessPolicyMiddleware:
    """Deny by default: a view that declares no access policy is refused with 403."""

    def __init__(self, get_response: Any) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> Any:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view_func: Any, view_args: Any, view_kwargs: Any) -> None:
        if getattr(view_func, "access_policy", None):
            return None
        name = f"{getattr(view_func, '__module__', '')}.{getattr(view_func, '__name__', '')}"
        if name in _ALLOWED_UNDECLARED:
            return None
        logger.error("View %s declares no access policy; refused.", name)
        raise PermissionDenied


class ClientAddressMiddleware:
    """REMOTE_ADDR becomes the client's address when the request came through a trusted reverse proxy.

    settings.TRUSTED_PROXIES lists the proxies' addresses or networks (empty: trust nobody, REMOTE_ADDR is the
    client). When the connection comes from one of them, X-Forwarded-For is read from the right — each proxy
    appends the address it was connected from — skipping the trusted proxies, and the first address that is not
    one of them is the client. Anything to the left of it was written by the client and is never believed; an entry
    that is not an IP address leaves REMOTE_ADDR as it was. Everything that reads REMOTE_ADDR afterwards (throttles,
    the audit trail, sign-in failures, Open311) gets the client without knowing about proxies."""

    def __init__(self, get_response: Any) -> None:
        self.get_response = get_response
        self.trusted = trusted_networks(getattr(settings, "TRUSTED_PROXIES", []))

    def __call__(self, request: HttpRequest) -> Any:
        if self.trusted:
            request.META["REMOTE_ADDR"] = client_address(
                remote_addr=request.META.get("REMOTE_ADDR", ""),
                forwarded_for=request.META.get("HTTP_X_FORWARDED_FOR", ""),
                trusted=self.trusted,
            )
        return self.get_response(request)


Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def trusted_networks(entries: list[str]) -> list[Network]:
    try:
        return [ipaddress.ip_network(entry.strip(), strict=False) for entry in entries if entry.strip()]
    except ValueError as error:
        raise ImproperlyConfigured(f"TRUSTED_PROXIES: {error}") from error


def _ip(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        address = ipaddress.ip_address(text.strip())
    except ValueError:
        return None
    # An IPv4 client seen by a dual-stack proxy arrives as ::ffff:a.b.c.d; one client, one form.
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped
    return address


def _is_trusted(address: ipaddress.IPv4Address | ipaddress.IPv6Address, trusted: list[Network]) -> bool:
    return any(address.version == network.version and address in network for network in trusted)


def client_address(*, remote_addr: str, forwarded_for: str, trusted: list[Network]) -> str:
    peer = _ip(remote_addr)
    if peer is None or not _is_trusted(peer, trusted):
        return remote_addr
    client = peer
    for entry in reversed(forwarded_for.split(",")):
        if not entry.strip():
            continue
        address = _ip(entry)
        if address is None:
            return remote_addr  # a broken chain: keep the proxy's own address rather than guess
        client = address
        if not _is_trusted(address, trusted):
            break
    # Every hop trusted (a request from inside): the leftmost one is the client.
    return str(client)


class ResponseHeadersMiddleware:
    """Headers every response carries, placed above WhiteNoise so static files get them too.

    - `Cache-Control: no-store` unless the response set its own: pages and API answers carry personal data, and no
      browser or shared cache may keep them. Static files (WhiteNoise's max-age), `never_cache` and `cache_control`
      views keep what they chose.
    - `Permissions-Policy` (settings.PERMISSIONS_POLICY): the browser features the app never uses are switched off,
      for its pages and for anything that might one day be framed into them."""

    def __init__(self, get_response: Any) -> None:
        self.get_response = get_response
        policy = getattr(settings, "PERMISSIONS_POLICY", {})
        self.permissions_policy = ", ".join(
            f"{feature}=({' '.join(allowed)})" for feature, allowed in policy.items()
        )

    def __call__(self, request: HttpRequest) -> Any:
        response = self.get_response(request)
        if not response.has_header("Cache-Control"):
            response["Cache-Control"] = "no-store"
        if self.permissions_policy and not response.has_header("Permissions-Policy"):
            response["Permissions-Policy"] = self.permissions_policy
        return response
