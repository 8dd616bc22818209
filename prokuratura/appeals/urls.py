from django.urls import path

from .views import imports as import_views
from .views import lists, public, staff
from .views import settings as settings_views
from .views import stats as stats_views

app_name = "appeals"

urlpatterns = [
    path("", lists.appeal_list, name="list"),
    path("assign/", lists.appeal_assign_selected, name="assign_selected"),
    path("export.<slug:fmt>", lists.appeal_export, name="export"),
    path("register/", staff.appeal_register, name="register"),
    path("deadlines/", staff.deadlines, name="deadlines"),
    path("stats/", stats_views.stats, name="stats"),
    path("stats.csv", stats_views.stats_csv, name="stats_csv"),
    path("stats.svg", stats_views.stats_chart, name="stats_chart"),
    path("<int:pk>/", staff.appeal_detail, name="detail"),
    path("<int:pk>/do/<slug:action>/", staff.appeal_action, name="action"),
    path("<int:pk>/letters/<slug:kind>.<slug:fmt>", staff.appeal_letter, name="letter"),
    path("<int:pk>/files/<int:attachment_id>/", staff.attachment_download, name="attachment"),
    path("settings/", settings_views.settings_index, name="settings"),
    path("settings/rules/", settings_views.rule_list, name="rule_list"),
    path("settings/rules/<slug:code>/", settings_views.rule_edit, name="rule_edit"),
    path("settings/topics/", settings_views.topic_list, name="topic_list"),
    path("settings/topics/add/", settings_views.topic_add, name="topic_add"),
    path("settings/topics/<int:pk>/", settings_views.topic_edit, name="topic_edit"),
    path("settings/routing/", settings_views.routing_list, name="routing_list"),
    path("settings/routing/add/", settings_views.routing_add, name="routing_add"),
    path("settings/routing/<int:pk>/", settings_views.routing_edit, name="routing_edit"),
    path("settings/routing/<int:pk>/delete/", settings_views.routing_delete, name="routing_delete"),
    path("settings/templates/", settings_views.template_list, name="template_list"),
    path(
        "settings/templates/<slug:kind>/<slug:language>/",
        settings_views.template_edit,
        name="template_edit",
    ),
    path("settings/signoff/", settings_views.signoff_list, name="signoff_list"),
    path("import/", import_views.import_list, name="import_list"),
    path("import/new/", import_views.import_new, name="import_new"),
    path("import/<int:pk>/", import_views.import_detail, name="import_detail"),
    path("import/<int:pk>/status/", import_views.import_status, name="import_status"),
    path("import/<int:pk>/rejected.csv", import_views.import_rejected_csv, name="import_rejected_csv"),
    path("public/new/", public.public_appeal, name="public_appeal"),
    path("public/receipt/", public.public_receipt, name="public_receipt"),
    path("public/status/", public.public_status, name="public_status"),
    path("public/letters/<slug:kind>.pdf", public.public_letter, name="public_letter"),
]
