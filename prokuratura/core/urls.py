from django.urls import path

from . import views
from .views import audit, offices
from .views import calendar as calendar_views
from .views import reference as reference_views

app_name = "core"

urlpatterns = [
    path("", views.home, name="home"),
    path("offices/", offices.office_list, name="office_list"),
    path("offices/add/", offices.office_add, name="office_add"),
    path("offices/<int:pk>/", offices.office_detail, name="office_detail"),
    path("offices/<int:pk>/edit/", offices.office_edit, name="office_edit"),
    path("offices/<int:pk>/departments/add/", offices.department_add, name="department_add"),
    path("departments/<int:pk>/edit/", offices.department_edit, name="department_edit"),
    path("audit/", audit.audit_list, name="audit_list"),
    path("audit/verify/", audit.audit_verify_view, name="audit_verify"),
    path("audit/<int:seq>/", audit.audit_detail, name="audit_detail"),
    path("reference/", reference_views.reference_index, name="reference"),
    path("reference/countries/", reference_views.country_list, name="country_list"),
    path("reference/regions/", reference_views.region_list, name="region_list"),
    path("reference/crime-categories/", reference_views.crime_category_list, name="crime_category_list"),
    path("calendar/", calendar_views.calendar_year, name="calendar"),
    path("calendar/exceptions/add/", calendar_views.calendar_exception_add, name="calendar_exception_add"),
    path(
        "calendar/exceptions/<int:pk>/edit/",
        calendar_views.calendar_exception_edit,
        name="calendar_exception_edit",
    ),
    path(
        "calendar/exceptions/<int:pk>/delete/",
        calendar_views.calendar_exception_delete,
        name="calendar_exception_delete",
    ),
]
