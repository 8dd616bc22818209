"""The supervision pages. Each views module holds its own `urlpatterns` (one module per area)."""

from .views import acts, catalogue, control, inspections, stats, visits

app_name = "supervision"

urlpatterns = [
    *inspections.urlpatterns,
    *acts.urlpatterns,
    *visits.urlpatterns,
    *control.urlpatterns,
    *stats.urlpatterns,
    *catalogue.urlpatterns,
]
