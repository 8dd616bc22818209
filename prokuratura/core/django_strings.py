"""Django's own strings that its Kazakh and Russian catalogues do not translate yet, listed here so that
`makemessages` keeps them in ours, which take precedence over Django's (settings.LOCALE_PATHS)."""

from django.utils.translation import gettext_noop

DJANGO_STRINGS = (
    gettext_noop("- Select an option -"),  # Django 6.1's empty choice of an optional select
)
