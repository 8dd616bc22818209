from django.urls import path

from .views import public, staff

app_name = "appeals"

urlpatterns = [
    path("", staff.appeal_list, name="list"),
    path("register/", staff.appeal_register, name="register"),
    path("deadlines/", staff.deadlines, name="deadlines"),
    path("<int:pk>/", staff.appeal_detail, name="detail"),
    path("<int:pk>/do/<slug:action>/", staff.appeal_action, name="action"),
    path("<int:pk>/letters/<slug:kind>.<slug:fmt>", staff.appeal_letter, name="letter"),
    path("<int:pk>/files/<int:attachment_id>/", staff.attachment_download, name="attachment"),
    path("public/new/", public.public_appeal, name="public_appeal"),
    path("public/receipt/", public.public_receipt, name="public_receipt"),
    path("public/status/", public.public_status, name="public_status"),
]
