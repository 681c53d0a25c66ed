from odoo import models
from odoo.tools import SQL


class CrmValueCurrentSnapshotMixin(models.AbstractModel):
    """Figures of the partner's current value snapshot (of its commercial
    partner, in the current company), shown on the partner as computed fields
    and yet searched, sorted and summed in SQL as stored fields are.

    A partner model inherits this mixin, maps its fields to snapshot columns
    in `_get_current_snapshot_fields`, and declares each field with
    ``search=search_with("_search_on_current_snapshot", column)``
    (crm_value/tools/field_search.py). Manager-only figures stay
    manager-only: reading, searching, sorting and grouping by them check the
    field's groups."""

    _name = "crm.value.current.snapshot.mixin"
    _description = "Current Snapshot Figures in SQL"

    def _get_current_snapshot_fields(self):
        """{field name: crm.value.snapshot column} of the fields read from the
        current snapshot."""
        return {}

    def _field_to_sql(self, alias, fname, query=None, flush=True):
        column = self._get_current_snapshot_fields().get(fname)
        if column:
            return self._current_snapshot_to_sql(alias, fname, column, query)
        return super()._field_to_sql(alias, fname, query, flush)

    def _current_snapshot_to_sql(self, alias, fname, column, query):
        """A figure of the current snapshot as SQL: lists sort by it, and sum it
        in their groups and totals, as the stored fields it shows. The access
        check refuses manager-only figures to others."""
        self.check_field_access_rights("read", [fname])
        if query is None:
            raise ValueError(
                f"{fname} is read from the current snapshot: a query is needed"
            )
        Snapshot = self.env["crm.value.snapshot"]
        partner = SQL.identifier(alias, "commercial_partner_id")
        snapshot = query.make_alias(alias, "value_current_snapshot")
        query.add_join(
            "LEFT JOIN",
            snapshot,
            Snapshot._table,
            SQL(
                "%s = %s AND %s = %s AND %s",
                SQL.identifier(snapshot, "partner_id"),
                partner,
                SQL.identifier(snapshot, "company_id"),
                self.env.company.id,
                SQL.identifier(snapshot, "is_current"),
            ),
        )
        sql = SQL.identifier(snapshot, column, to_flush=Snapshot._fields[column])
        if self._fields[fname].type in ("integer", "float", "monetary"):
            # A customer never computed shows 0, and sorts and sums as 0.
            return SQL("COALESCE(%s, 0)", sql)
        return sql

    def _search_on_current_snapshot(self, column, operator, value):
        """Partners (and their contacts) whose current snapshot in this company
        matches; partners never computed have no snapshot and match nothing.
        Manager-only amounts stay manager-only: searching on them is refused."""
        Snapshot = self.env["crm.value.snapshot"]
        Snapshot.check_field_access_rights("read", [column])
        domain = [
            ("is_current", "=", True),
            ("company_id", "=", self.env.company.id),
            (column, operator, value),
        ]
        partners = (
            Snapshot.sudo()
            ._search(domain)
            .subselect(SQL.identifier("crm_value_snapshot", "partner_id"))
        )
        return [("commercial_partner_id", "in", partners)]
