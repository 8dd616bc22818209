from django.apps import AppConfig


class LifecycleExampleConfig(AppConfig):
    name = "prokuratura.core.tests.lifecycle_example"
    label = "lifecycle_example"
    default_auto_field = "django.db.models.BigAutoField"
