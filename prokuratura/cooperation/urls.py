"""URLs of the international-cooperation knowledge base. Each views module declares its own patterns:

- views/treaties.py: treaty_list, treaty_detail, treaty_add, treaty_edit, treaty_parties (administrators
  correct facts), import runs;
- views/countries.py: country_list, country_detail, country_edit, country_history;
- views/resolver.py: resolver;
- views/numbers.py: numbers, numbers_csv, numbers_chart.
"""

from .views import countries, numbers, resolver, treaties

app_name = "cooperation"

urlpatterns = [
    *treaties.urlpatterns,
    *countries.urlpatterns,
    *resolver.urlpatterns,
    *numbers.urlpatterns,
]
