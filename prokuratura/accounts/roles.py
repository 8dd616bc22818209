"""Roles and the permissions each grants. One table, read by accounts.backends.RoleBackend.

A permission is a code "<app>.<action>". Views and API operations declare one (core.permissions);
a user holds every permission of every role they hold. Domain apps add their permissions here.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    REGISTRAR = "registrar", _("Registrar")
    PROSECUTOR = "prosecutor", _("Prosecutor")
    HEAD = "head", _("Head of office or department")
    INTL_OFFICER = "intl_officer", _("International department officer")
    ANALYST = "analyst", _("Analyst")
    AUDITOR = "auditor", _("Auditor")
    ADMIN = "admin", _("Administrator")


class Perm:
    """Permission codes, so a typo is a NameError rather than a silently refused view."""

    VIEW_OFFICES = "core.view_offices"
    MANAGE_OFFICES = "core.manage_offices"
    VIEW_REFERENCE = "core.view_reference"
    MANAGE_REFERENCE = "core.manage_reference"
    VIEW_CALENDAR = "core.view_calendar"
    MANAGE_CALENDAR = "core.manage_calendar"
    VIEW_AUDIT = "core.view_audit"
    VIEW_USERS = "accounts.view_users"
    MANAGE_USERS = "accounts.manage_users"
    MANAGE_ROLE_POLICY = "accounts.manage_role_policy"
    # Citizens' appeals (prokuratura.appeals).
    APPEALS_VIEW = "appeals.view"
    APPEALS_REGISTER = "appeals.register"
    APPEALS_IMPORT = "appeals.import"
    APPEALS_ROUTE = "appeals.route"  # send an appeal to another office before work on it starts
    APPEALS_TRIAGE = "appeals.triage"  # decide on an anonymous appeal: leave it, or forward it at once
    APPEALS_ASSIGN = "appeals.assign"
    APPEALS_WORK = "appeals.work"
    APPEALS_EXTEND = "appeals.extend"
    APPEALS_CLOSE = "appeals.close"
    APPEALS_REOPEN = "appeals.reopen"
    APPEALS_STATS = "appeals.view_stats"
    APPEALS_MANAGE = "appeals.manage_settings"
    # International legal cooperation (prokuratura.cooperation).
    COOP_VIEW = "cooperation.view"  # the treaty register, country profiles, the resolver
    COOP_EDIT_PROFILES = "cooperation.edit_profiles"  # the international department keeps the profiles
    COOP_MANAGE = "cooperation.manage_treaties"  # correct treaty facts (administrators)
    COOP_STATS = "cooperation.view_stats"
    # Requests for legal assistance: see them (by the record rule), draft and work on them, a head's decisions
    # (sign, refuse an incoming one, withdraw), and the terms and templates (administrators).
    COOP_REQUESTS_VIEW = "cooperation.requests_view"
    COOP_REQUESTS_WORK = "cooperation.requests_work"
    COOP_REQUESTS_DIRECT = "cooperation.requests_direct"
    COOP_REQUESTS_MANAGE = "cooperation.requests_manage"
    # Supervision of legality (prokuratura.supervision).
    SUPERVISION_VIEW = "supervision.view"  # inspections, violations, acts, visits (by the record rule)
    SUPERVISION_WORK = "supervision.work"  # record them and take the prosecutor's steps
    SUPERVISION_DIRECT = (
        "supervision.direct"  # a head's steps: order, cancel and close inspections, withdraw acts
    )
    SUPERVISION_STATS = "supervision.view_stats"
    SUPERVISION_MANAGE = "supervision.manage"  # the act-type catalogue, act templates, places of detention
    # International relations (prokuratura.relations): meetings and visits, joint projects, recommendations.
    RELATIONS_VIEW = "relations.view"  # by the record rule
    RELATIONS_WORK = "relations.work"  # record them, import press items, take the officer's steps
    RELATIONS_DIRECT = "relations.direct"  # a head's steps: cancel, note or close a recommendation, reopen
    RELATIONS_STATS = "relations.view_stats"
    RELATIONS_MANAGE = "relations.manage"  # the organisations and counterparts, the topics


_STAFF_BASE = {Perm.VIEW_OFFICES, Perm.VIEW_REFERENCE, Perm.VIEW_CALENDAR}

# A head extends the term by a reasoned decision (APPC art. 76 p. 2); a prosecutor may only ask for it.
ROLE_PERMISSIONS: dict[str, frozenset[str]] = {
    Role.REGISTRAR: frozenset(
        _STAFF_BASE
        | {
            Perm.APPEALS_VIEW,
            Perm.APPEALS_REGISTER,
            Perm.APPEALS_ROUTE,
            Perm.APPEALS_TRIAGE,
            Perm.APPEALS_IMPORT,
        }
    ),
    Role.PROSECUTOR: frozenset(
        _STAFF_BASE
        | {
            Perm.APPEALS_VIEW,
            Perm.APPEALS_WORK,
            Perm.SUPERVISION_VIEW,
            Perm.SUPERVISION_WORK,
            Perm.COOP_REQUESTS_VIEW,
            Perm.RELATIONS_VIEW,
            Perm.RELATIONS_WORK,
        }
    ),
    Role.HEAD: frozenset(
        _STAFF_BASE
        | {
            Perm.VIEW_USERS,
            Perm.APPEALS_VIEW,
            Perm.APPEALS_REGISTER,
            Perm.APPEALS_ROUTE,
            Perm.APPEALS_TRIAGE,
            Perm.APPEALS_ASSIGN,
            Perm.APPEALS_WORK,
            Perm.APPEALS_EXTEND,
            Perm.APPEALS_CLOSE,
            Perm.APPEALS_REOPEN,
            Perm.APPEALS_STATS,
            Perm.COOP_VIEW,
            Perm.COOP_STATS,
            Perm.COOP_REQUESTS_VIEW,
            Perm.COOP_REQUESTS_WORK,
            Perm.COOP_REQUESTS_DIRECT,
            Perm.SUPERVISION_VIEW,
            Perm.SUPERVISION_WORK,
            Perm.SUPERVISION_DIRECT,
            Perm.SUPERVISION_STATS,
            Perm.RELATIONS_VIEW,
            Perm.RELATIONS_WORK,
            Perm.RELATIONS_DIRECT,
            Perm.RELATIONS_STATS,
        }
    ),
    Role.INTL_OFFICER: frozenset(
        _STAFF_BASE
        | {
            Perm.COOP_VIEW,
            Perm.COOP_EDIT_PROFILES,
            Perm.COOP_STATS,
            Perm.COOP_REQUESTS_VIEW,
            Perm.COOP_REQUESTS_WORK,
            Perm.RELATIONS_VIEW,
            Perm.RELATIONS_WORK,
            Perm.RELATIONS_STATS,
        }
    ),
    Role.ANALYST: frozenset(
        _STAFF_BASE
        | {
            Perm.APPEALS_STATS,
            Perm.COOP_VIEW,
            Perm.COOP_STATS,
            Perm.SUPERVISION_STATS,
            Perm.RELATIONS_STATS,
        }
    ),
    Role.AUDITOR: frozenset(
        _STAFF_BASE
        | {
            Perm.VIEW_AUDIT,
            Perm.VIEW_USERS,
            Perm.APPEALS_VIEW,
            Perm.APPEALS_STATS,
            Perm.COOP_VIEW,
            Perm.COOP_STATS,
            Perm.COOP_REQUESTS_VIEW,
            Perm.SUPERVISION_VIEW,
            Perm.SUPERVISION_STATS,
            Perm.RELATIONS_VIEW,
            Perm.RELATIONS_STATS,
        }
    ),
    Role.ADMIN: frozenset(
        _STAFF_BASE
        | {
            Perm.APPEALS_MANAGE,
            Perm.APPEALS_IMPORT,
            Perm.MANAGE_OFFICES,
            Perm.MANAGE_REFERENCE,
            Perm.MANAGE_CALENDAR,
            Perm.VIEW_USERS,
            Perm.MANAGE_USERS,
            Perm.MANAGE_ROLE_POLICY,
            Perm.COOP_VIEW,
            Perm.COOP_MANAGE,
            Perm.COOP_REQUESTS_MANAGE,
            Perm.SUPERVISION_MANAGE,
            Perm.RELATIONS_VIEW,
            Perm.RELATIONS_MANAGE,
        }
    ),
}

ALL_PERMISSIONS: frozenset[str] = frozenset().union(*ROLE_PERMISSIONS.values())

# Roles that must use a second factor unless an administrator decides otherwise (accounts.RolePolicy).
DEFAULT_2FA_ROLES = frozenset({Role.ADMIN, Role.AUDITOR})


def permissions_for(roles: set[str] | frozenset[str]) -> frozenset[str]:
    return frozenset().union(*(ROLE_PERMISSIONS.get(r, frozenset()) for r in roles))
