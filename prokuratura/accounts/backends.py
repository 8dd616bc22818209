from typing import Any

from django.contrib.auth.backends import ModelBackend


class RoleBackend(ModelBackend):
    """Authenticates by password; permissions come from the user's roles (accounts.roles), not Django groups."""

    def get_all_permissions(self, user_obj: Any, obj: Any = None) -> set[str]:
        if not user_obj.is_active or user_obj.is_anonymous:
            return set()
        return set(user_obj.permission_codes)

    def has_perm(self, user_obj: Any, perm: str, obj: Any = None) -> bool:
        return user_obj.is_active and perm in self.get_all_permissions(user_obj)

    def get_user(self, user_id: Any) -> Any:
        user = super().get_user(user_id)
        return user
