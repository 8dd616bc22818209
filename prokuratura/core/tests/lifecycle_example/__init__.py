"""A lifecycle written the way a new module writes one: a model, its history table, the declaration
(`transitions.py`) and the step services (`services.py`) — nothing else. Installed only for the tests
(settings.TESTING); `core/tests/test_lifecycle.py` drives it through the kernel, the page's forms and the API."""
