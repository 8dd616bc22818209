"""Views of the cooperation app: treaties (filled in by its slice)."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
