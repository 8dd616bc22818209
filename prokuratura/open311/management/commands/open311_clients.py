"""Manage the applications that may submit appeals through Open311 (docs/OPEN311.md, docs/OPERATIONS.md).

    manage.py open311_clients add "Astana city app" --contact "ops@example.kz" [--hourly-limit 100] [--relay]
    manage.py open311_clients list
    manage.py open311_clients revoke o311_AbCd      (the key's prefix, as `list` shows it, or the client's id)

`add` prints the api_key once: it is stored only as a SHA-256 and cannot be shown again. Hand it to the
application's operator over a channel you trust; never commit it. To rotate a key, add a new client and revoke the
old one once the application uses the new key.
"""

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from prokuratura.core.actors import SETUP
from prokuratura.open311 import selectors, services


class Command(BaseCommand):
    help = "Add, list and revoke the applications that may submit appeals through Open311 GeoReport v2."

    def add_arguments(self, parser: CommandParser) -> None:
        commands = parser.add_subparsers(dest="action", required=True)
        add = commands.add_parser("add", help="Add a client and print its api_key (shown once).")
        add.add_argument("name", help="The application's name, e.g. 'Astana city app'.")
        add.add_argument("--contact", default="", help="Who runs it: a person, an e-mail, a phone.")
        add.add_argument(
            "--hourly-limit",
            type=int,
            default=100,
            help="Submissions an hour over the whole key (default 100).",
        )
        add.add_argument(
            "--relay",
            action="store_true",
            help="The application submits for many people from its own server: lift the per-address limit.",
        )
        commands.add_parser("list", help="List the clients (never their keys).")
        revoke = commands.add_parser("revoke", help="Revoke a client's key at once.")
        revoke.add_argument("client", help="The key's prefix (as `list` shows it) or the client's id.")

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        if action == "add":
            self._add(options)
        elif action == "list":
            self._list()
        else:
            self._revoke(options["client"])

    def _add(self, options: dict[str, Any]) -> None:
        try:
            client, api_key = services.open311_client_create(
                by=SETUP,
                name=options["name"],
                contact=options["contact"],
                hourly_limit=options["hourly_limit"],
                relay=options["relay"],
            )
        except ValidationError as exc:
            messages = "; ".join(
                f"{field}: {', '.join(errors)}" for field, errors in exc.message_dict.items()
            )
            raise CommandError(messages) from None
        self.stdout.write(f"Added Open311 client {client.pk}: {client.name}")
        self.stdout.write(f"api_key: {api_key}")
        self.stdout.write("Keep it now: it is not stored and cannot be shown again.")

    def _list(self) -> None:
        clients = list(selectors.open311_client_list())
        if not clients:
            self.stdout.write("No Open311 clients.")
        for client in clients:
            state = f"revoked {client.revoked_at:%Y-%m-%d}" if client.revoked_at else "active"
            used = f"last used {client.last_used_at:%Y-%m-%d %H:%M}" if client.last_used_at else "never used"
            relay = ", relay" if client.relay else ""
            self.stdout.write(
                f"{client.pk}\t{client.key_prefix}…\t{client.name}\t{state}, {used}, "
                f"{client.hourly_limit}/h{relay}\t{client.contact}"
            )

    def _revoke(self, reference: str) -> None:
        found = selectors.open311_client_find(reference=reference)
        if found is None:
            raise CommandError(f"No single Open311 client is {reference!r}; see `open311_clients list`.")
        client = services.open311_client_revoke(by=SETUP, client=found)
        self.stdout.write(f"Revoked Open311 client {client.pk}: {client.name}")
