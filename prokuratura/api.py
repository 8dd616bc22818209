"""The REST API root: /api/v1/. Each app contributes one router (see docs/ARCHITECTURE.md)."""

from ninja import NinjaAPI

api = NinjaAPI(title="prokuratura API", version="1", urls_namespace="api")


@api.get("/ping", auth=None)
def ping(request):
    return {"ok": True}


for pattern in api.urls[0]:
    callback = getattr(pattern, "callback", None)
    if callback is not None:
        callback.access_policy = "api"
