"""URLs of the international-cooperation knowledge base. Each views module declares its own patterns:

- views/treaties.py: treaty_list, treaty_detail, treaty_add, treaty_edit, treaty_parties (administrators
  correct facts), import runs;
- views/countries.py: country_list, country_detail, country_edit, country_history;
- views/resolver.py: resolver;
- views/numbers.py: numbers, numbers_csv, numbers_chart;
- views/requests.py: the requests register (list, record, the request's page, its persons, letters,
  translations, refusal checklist and steps);
- views/request_letters.py: the request and cover letters (PDF, DOCX);
- views/request_numbers.py: the requests' numbers (table, chart, CSV);
- views/request_catalogue.py: the request time limits and letter templates (administrators).
"""

from .views import (
    countries,
    numbers,
    request_catalogue,
    request_letters,
    request_numbers,
    requests,
    resolver,
    treaties,
)

app_name = "cooperation"

urlpatterns = [
    *treaties.urlpatterns,
    *countries.urlpatterns,
    *resolver.urlpatterns,
    *numbers.urlpatterns,
    *requests.urlpatterns,
    *request_letters.urlpatterns,
    *request_numbers.urlpatterns,
    *request_catalogue.urlpatterns,
]
