"""GET /api/v1/relations/numbers: the same figures as the numbers page, with the real history of the UN visits."""

from __future__ import annotations

import pytest

from prokuratura.core.tests.api_client import assert_error, bearer

from .test_stats import STATEMENT_DAY, load_un_visits, osce_statement, sp_statement

pytestmark = pytest.mark.django_db
URL = "/api/v1/relations/numbers"


def test_numbers_as_json(cast, django_assert_max_num_queries):
    load_un_visits(cast.intl_officer)
    sp_statement()
    osce_statement()
    client = bearer(cast.analyst)
    with django_assert_max_num_queries(20):
        response = client.get(URL, {"date": STATEMENT_DAY.isoformat(), "years": 5})
    assert response.status_code == 200, response.content
    body = response.json()
    visits = body["visits"]
    assert (visits["since"], visits["total"], visits["treaty_body_total"]) == ("2010-10-22", 6, 0)
    [statement] = visits["statements"]
    assert (statement["stated"], statement["counted"], statement["differs"]) == (8, 6, True)
    assert body["projects"]["statements"][0]["stated"] == 40
    assert body["recommendations"]["by_status"]["not_started"] == 0
    later = client.get(URL, {"date": "2023-12-31", "years": 10}).json()["visits"]
    assert (later["total"], later["treaty_body_total"]) == (6, 2)


def test_bad_parameters_and_permission(cast):
    assert_error(bearer(cast.analyst).get(URL, {"date": "2999-01-01"}), 422)
    assert_error(bearer(cast.analyst).get(URL, {"years": 0}), 422)
    assert_error(bearer(cast.prosecutor_astana).get(URL), 403)
