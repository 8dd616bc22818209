"""Forms of the sign-in and personal-security pages. They parse input only; the views call services."""

from typing import Any

from django import forms
from django.contrib.auth import password_validation
from django.utils.translation import gettext_lazy as _

from prokuratura.accounts.models import User


class LoginForm(forms.Form):
    username = forms.CharField(
        label=_("Username"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "username", "autofocus": True}),
    )
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        max_length=4096,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


class OtpCodeForm(forms.Form):
    """A six-digit authenticator code, or (where allowed) a single-use recovery code."""

    code = forms.CharField(
        label=_("Code"),
        max_length=32,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "text",
                "autofocus": True,
                "spellcheck": "false",
            }
        ),
    )

    def __init__(self, *args: Any, allow_recovery: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.allow_recovery = allow_recovery
        if allow_recovery:
            self.fields["code"].help_text = _(
                "The six digits your authenticator app shows, or one of your recovery codes."
            )
        else:
            self.fields["code"].help_text = _("The six digits your authenticator app shows.")
            self.fields["code"].widget.attrs["inputmode"] = "numeric"

    def clean_code(self) -> str:
        # People copy codes with spaces or dashes ("123 456"); recovery codes are lower-case base32.
        code = "".join(self.cleaned_data["code"].split()).replace("-", "").lower()
        if code.isdigit() and len(code) == 6:
            return code
        if self.allow_recovery and code.isalnum() and 8 <= len(code) <= 16:
            return code
        if self.allow_recovery:
            raise forms.ValidationError(_("Enter the six-digit code or a recovery code."), code="format")
        raise forms.ValidationError(_("Enter the six-digit code."), code="format")


class CurrentPasswordForm(forms.Form):
    password = forms.CharField(
        label=_("Current password"),
        strip=False,
        max_length=4096,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(_("The current password is not correct."), code="password_incorrect")
        return password


class PasswordChangeForm(CurrentPasswordForm):
    """Checks the current password and that the new one was typed twice alike. The password rules
    themselves are applied by accounts.services.user_set_password, so every way of setting one obeys them."""

    new_password1 = forms.CharField(
        label=_("New password"),
        strip=False,
        max_length=4096,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    new_password2 = forms.CharField(
        label=_("New password again"),
        strip=False,
        max_length=4096,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["new_password1"].help_text = " ".join(
            str(text) for text in password_validation.password_validators_help_texts()
        )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        first, second = cleaned.get("new_password1"), cleaned.get("new_password2")
        if first and second and first != second:
            self.add_error("new_password2", _("The two new passwords differ."))
        return cleaned


class TokenCreateForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=100,
        help_text=_("What the token is for, e.g. the program that will use it."),
    )
    expires_in_days = forms.IntegerField(
        label=_("Expires after (days)"),
        min_value=1,
        max_value=365,
        required=False,
        help_text=_("From 1 to 365 days. Leave empty for a token that does not expire."),
    )

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        if not name:
            raise forms.ValidationError(_("Give the token a name."), code="required")
        return name


def _language_choices() -> Any:
    return User._meta.get_field("preferred_language").choices


class LanguageForm(forms.Form):
    preferred_language = forms.ChoiceField(label=_("Preferred language"), choices=_language_choices)
