"""The bare reference for bench/http_bench.py: a Django project of one django-ninja endpoint,
`POST /bare/appeals`, that parses the same JSON body as `POST /api/v1/appeals` and does one INSERT.

It runs on the same Django, ninja, PostgreSQL database and connection settings as the app, under the same gunicorn
settings (deploy/gunicorn.conf.py), so the ratio app/bare is what the app's own work costs on top of the stack.
"""
