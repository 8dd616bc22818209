"""Administrators' forms for people and roles. Input only: the services validate and write (accounts.services)."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.utils.translation import gettext_lazy as _

from prokuratura.accounts.models import RolePolicy, User
from prokuratura.accounts.roles import Role
from prokuratura.core.forms.offices import OfficeChoiceField
from prokuratura.core.models import Department
from prokuratura.core.selectors import department_choices, office_choices

USER_FIELDS = (
    "username",
    "last_name",
    "first_name",
    "middle_name",
    "email",
    "position_kk",
    "position_ru",
    "position",
    "preferred_language",
    "office",
    "department",
    "is_active",
)


class UserFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Search"), max_length=100, required=False, widget=forms.TextInput(attrs={"type": "search"})
    )
    role = forms.ChoiceField(label=_("Role"), required=False, choices=[("", _("All")), *Role.choices])
    office = OfficeChoiceField(
        label=_("Office"), queryset=office_choices(), required=False, empty_label=_("All")
    )


class UserForm(forms.Form):
    """One person: identity, place in the organisation, roles; on creation an initial password or none yet."""

    username = forms.CharField(
        label=_("Username"),
        max_length=150,
        validators=[UnicodeUsernameValidator()],
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    last_name = forms.CharField(label=_("Last name"), max_length=150, required=False)
    first_name = forms.CharField(label=_("First name"), max_length=150, required=False)
    middle_name = forms.CharField(label=_("Patronymic"), max_length=150, required=False)
    email = forms.EmailField(label=_("Email"), required=False)
    # The position as signed under a letter, in the letter's language.
    position_kk = forms.CharField(label=_("Position (Kazakh)"), max_length=200, required=False)
    position_ru = forms.CharField(label=_("Position (Russian)"), max_length=200, required=False)
    position = forms.CharField(label=_("Position (English)"), max_length=200, required=False)
    preferred_language = forms.ChoiceField(
        label=_("Preferred language"),
        choices=User._meta.get_field("preferred_language").choices or [],
        initial="ru",
    )
    office = OfficeChoiceField(label=_("Office"), queryset=office_choices(), required=False)
    department = forms.ChoiceField(
        label=_("Department"), required=False, help_text=_("A department of the office chosen above.")
    )
    roles = forms.MultipleChoiceField(
        label=_("Roles"), choices=Role.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    is_active = forms.BooleanField(
        label=_("Active"),
        required=False,
        initial=True,
        help_text=_("An inactive account cannot sign in; its history stays."),
    )

    def __init__(self, *args: Any, creating: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.creating = creating
        cast(forms.ChoiceField, self.fields["department"]).choices = [("", "—"), *department_choices()]
        if creating:
            self.fields["no_password"] = forms.BooleanField(
                label=_("No password yet"),
                required=False,
                help_text=_("The account cannot sign in until a password is set."),
            )
            self.fields["password"] = forms.CharField(
                label=_("Initial password"),
                required=False,
                strip=False,
                widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
            )
            self.fields["password2"] = forms.CharField(
                label=_("Initial password again"),
                required=False,
                strip=False,
                widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
            )

    @classmethod
    def initial_for(cls, user: User) -> dict[str, Any]:
        initial = {name: getattr(user, name) for name in USER_FIELDS if name not in {"office", "department"}}
        initial["office"] = user.office_id
        initial["department"] = user.department_id or ""
        initial["roles"] = sorted(user.roles)
        return initial

    def clean_department(self) -> Department | None:
        value = self.cleaned_data.get("department")
        if not value:
            return None
        department = Department.objects.filter(pk=value).first()
        if department is None:
            raise forms.ValidationError(_("Choose one of the offered departments."))
        return department

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        office, department = data.get("office"), data.get("department")
        if department is not None and (office is None or department.office_id != office.pk):
            self.add_error("department", _("Choose a department of the person's own office."))
        if self.creating:
            password, password2 = data.get("password") or "", data.get("password2") or ""
            if data.get("no_password"):
                if password:
                    self.add_error("password", _("Leave the password empty or untick “No password yet”."))
            elif not password:
                self.add_error("password", _("Enter an initial password or tick “No password yet”."))
            elif password != password2:
                self.add_error("password2", _("The two passwords differ."))
        return data

    def user_data(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in USER_FIELDS}


class RolePolicyForm(forms.Form):
    """One "require two-factor authentication" checkbox per role."""

    def __init__(self, *args: Any, policies: list[RolePolicy], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        current = {policy.role: policy.require_2fa for policy in policies}
        for role, label in Role.choices:
            self.fields[f"require_2fa_{role}"] = forms.BooleanField(
                label=label, required=False, initial=current.get(role, False)
            )

    def rows(self) -> list[tuple[str, forms.BoundField]]:
        return [(role, self[f"require_2fa_{role}"]) for role in Role.values]

    def choices(self) -> dict[str, bool]:
        return {role: bool(self.cleaned_data.get(f"require_2fa_{role}")) for role in Role.values}
