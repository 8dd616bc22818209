"""URLs of international relations. Each views module declares its own patterns:

- views/events.py: meetings and visits (list with filters, record, the event's page with participants, agreements,
  figures, documents, follow-up tasks and steps), the follow-up tasks list;
- views/calendar.py: the calendar of events (month grid);
- views/projects.py: joint projects;
- views/recommendations.py: recommendations and their implementation;
- views/counterparts.py: organisations and counterparts (the hierarchy), topics;
- views/press.py: the press-release import (paste or upload, review the draft, save);
- views/numbers.py: the numbers (table, chart, CSV).
"""

from .views import calendar, counterparts, events, numbers, press, projects, recommendations

app_name = "relations"

urlpatterns = [
    *events.urlpatterns,
    *calendar.urlpatterns,
    *projects.urlpatterns,
    *recommendations.urlpatterns,
    *counterparts.urlpatterns,
    *press.urlpatterns,
    *numbers.urlpatterns,
]
