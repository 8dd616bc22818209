"""Views of the cooperation app: countries (filled in by its slice)."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
