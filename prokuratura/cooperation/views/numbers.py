"""Views of the cooperation app: numbers (filled in by its slice)."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
