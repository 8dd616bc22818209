"""The appeal list's sort orders (issue 11, "Lists"), each read from an index so a page stops after its rows.

- `appeal_due_id` (due_date, id): by due date, either way;
- `appeal_open_due_id`, the same for open appeals only: an ascending walk of the whole register's due dates would
  first read through the closed appeals (most of the register, holding the oldest terms) before the first open one;
- `appeal_status_rank_due` (the status's place in the work, due_date, id): by status, then due date
  (`models.StatusRank`, written with constants so the list's ORDER BY is the indexed expression), and the same
  after the assignee for "assigned to me" (`appeal_assignee_rank_due`: without it a prosecutor's list by status
  read past every registered appeal of the country, 227 ms at 5 M);
- `appeal_office_number` (office, reg_number) and `appeal_assignee_number` (assignee, reg_number): by number within
  an office or a prosecutor's appeals. A number begins with its office's code, so an office's appeals are one
  stretch of the unique index of `reg_number`, and a walk of that index from its start read up to it (6 s at 5 M);
  an office subtree's stretches are merged (selectors._numbers_by_office).

Nationally by number the list reads the unique index of `reg_number`; by registration date `appeal_registered_id`
(0004) and 0007's per-office and per-prosecutor indexes.
On PostgreSQL at 5 M appeals each index builds in 3–13 s (docs/PERFORMANCE.md, "Sorted lists").
"""

from django.db import migrations, models

import prokuratura.appeals.models


class Migration(migrations.Migration):
    dependencies = [("appeals", "0011_search_folding")]

    operations = [
        migrations.AddIndex(
            model_name="appeal",
            index=models.Index(fields=["due_date", "id"], name="appeal_due_id"),
        ),
        migrations.AddIndex(
            model_name="appeal",
            index=models.Index(
                condition=models.Q(
                    ("status__in", ("registered", "assigned", "in_review", "extended", "reopened", "signoff"))
                ),
                fields=["due_date", "id"],
                name="appeal_open_due_id",
            ),
        ),
        migrations.AddIndex(
            model_name="appeal",
            index=models.Index(
                prokuratura.appeals.models.StatusRank(),
                models.F("due_date"),
                models.F("id"),
                name="appeal_status_rank_due",
            ),
        ),
        migrations.AddIndex(
            model_name="appeal",
            index=models.Index(
                models.F("assignee"),
                prokuratura.appeals.models.StatusRank(),
                models.F("due_date"),
                models.F("id"),
                name="appeal_assignee_rank_due",
            ),
        ),
        migrations.AddIndex(
            model_name="appeal",
            index=models.Index(fields=["office", "reg_number"], name="appeal_office_number"),
        ),
        migrations.AddIndex(
            model_name="appeal",
            index=models.Index(fields=["assignee", "reg_number"], name="appeal_assignee_number"),
        ),
    ]
