"""Views of the cooperation app: resolver (filled in by its slice)."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
