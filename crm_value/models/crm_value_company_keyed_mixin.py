import json

from odoo import models
from odoo.tools import SQL, Query
from odoo.tools.sql import make_identifier, make_index_name

from ..sql_arrays import array_literal


class CrmValueCompanyKeyedMixin(models.AbstractModel):
    """Company-dependent many2ones that lists filter and group by (a tier, a
    lifecycle stage), read straight from their company's key and searched
    through a GIN index.

    Odoo reads a company-dependent many2one through a subquery per row that
    checks the target still exists (it clears the ids of deleted targets
    anyway): no index can serve it, and its cost makes PostgreSQL compile the
    query (JIT), so lists filtered or grouped on the field slow down with the
    number of records. Odoo's own cleanup when a target is deleted (`@?` on
    the column) uses the GIN index too.

    A model inherits this mixin, lists such fields in
    `_get_company_key_many2ones` and declares them with index=False."""

    _name = "crm.value.company.keyed.mixin"
    _description = "Company-Keyed Many2one Fields in SQL"

    def _get_company_key_many2ones(self):
        """Names of the company-dependent many2ones read by company key;
        extend it (return super's list plus your fields)."""
        return []

    def init(self):
        result = super().init()
        for fname in self._get_company_key_many2ones():
            # Odoo's default index of a company-dependent field (a btree of
            # "IS NOT NULL") looks cheaper to the planner than this one and is
            # then read whole, filtered row by row: these fields are declared
            # without it, and databases installed before lose it.
            self.env.cr.execute(
                SQL(
                    """
                DROP INDEX IF EXISTS %s;
                CREATE INDEX IF NOT EXISTS %s ON %s USING gin (%s jsonb_path_ops)
                """,
                    SQL.identifier(make_index_name(self._table, fname)),
                    SQL.identifier(
                        make_identifier(f"{self._table}_{fname}_company_key_index")
                    ),
                    SQL.identifier(self._table),
                    SQL.identifier(fname),
                )
            )
        return result

    def _read_company_keys(self, fnames):
        """{record id: {field: value}} of company-dependent fields `fnames` of
        these records in the current company, as stored in its key (an id, a
        boolean; None when unset, a default for all companies not applied),
        in one query: reading them through the ORM loads every other field of
        the records too."""
        if not self:
            return {}
        self.flush_recordset(fnames)
        self.env.cr.execute(
            SQL(
                "SELECT id, %s FROM %s WHERE id = ANY(%s::int4[])",
                SQL(", ").join(
                    SQL("%s->%s", SQL.identifier(fname), str(self.env.company.id))
                    for fname in fnames
                ),
                SQL.identifier(self._table),
                array_literal(self.ids),
            )
        )
        return {
            row[0]: dict(zip(fnames, row[1:], strict=True))
            for row in self.env.cr.fetchall()
        }

    def _is_company_key_many2one(self, fname):
        # A default value for all companies (ir.default) is read from outside
        # the column: Odoo's own SQL handles it.
        return fname in self._get_company_key_many2ones() and not self._fields[
            fname
        ].get_company_dependent_fallback(self)

    def _field_to_sql(self, alias, fname, query=None, flush=True):
        """The id in the current company's key, for ORDER BY and GROUP BY."""
        sql = super()._field_to_sql(alias, fname, query, flush)  # access checked
        if not self._is_company_key_many2one(fname):
            return sql
        field = self._fields[fname]
        return SQL(
            "(%s->%s->>0)::int4",
            SQL.identifier(alias, fname, to_flush=field if flush else None),
            str(self.env.company.id),
        )

    def _condition_to_sql(self, alias, fname, operator, value, query):
        """`= id` and `in ids` (also `tier.code in ...`, a subquery of ids) by
        containment, `{"<company id>": id}`, which the GIN index finds; any
        other condition is Odoo's."""
        if operator not in ("=", "in") or not self._is_company_key_many2one(fname):
            return super()._condition_to_sql(alias, fname, operator, value, query)
        if isinstance(value, Query):
            # The targets (tiers, stages) are a few rows: their ids first.
            value = [row[0] for row in self.env.execute_query(value.select())]
        ids = value if isinstance(value, (list, tuple)) else [value]
        if not all(type(id_) is int and id_ > 0 for id_ in ids):
            return super()._condition_to_sql(alias, fname, operator, value, query)
        if not ids:
            return SQL("FALSE")
        self.check_field_access_rights("read", [fname])
        column = SQL.identifier(alias, fname, to_flush=self._fields[fname])
        key = str(self.env.company.id)
        return SQL(
            "(%s)",
            SQL(" OR ").join(
                SQL("%s @> %s::jsonb", column, json.dumps({key: id_})) for id_ in ids
            ),
        )
