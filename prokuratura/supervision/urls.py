"""The supervision pages. Each views module holds its own `urlpatterns` (one module per area)."""

from .views import acts, catalogue, control, inspections, letters, stats, visits

app_name = "supervision"

urlpatterns = [
    *inspections.urlpatterns,
    *acts.urlpatterns,
    *letters.urlpatterns,
    *visits.urlpatterns,
    *control.urlpatterns,
    *stats.urlpatterns,
    *catalogue.urlpatterns,
]
