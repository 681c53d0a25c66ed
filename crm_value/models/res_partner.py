import json

from odoo import api, fields, models
from odoo.exceptions import AccessError
from odoo.tools import SQL, Query, split_every
from odoo.tools.mail import generate_tracking_message_id

from ..figures import PARTNER_MIRRORS, mirror_name, search_current_snapshot
from ..groups import INTERNAL, MANAGER
from ..groups import USER as VALUE_USER
from .crm_value_snapshot import QUADRANTS, TIER_MOVES

# Partners whose tracked changes are logged together (_write_logging_tracking)
TRACKING_CHUNK = 1000

# Written by the scoring and ranking, shown on the partner as value_<column>
# (value_score as is) from the current snapshot. The figures of the sources
# are mirrored by their declaration (crm_value.figures.figure_source).
SCORE_MIRRORS = (
    "rfm_recency",
    "rfm_frequency",
    "rfm_monetary",
    "rfm_segment_id",
    "p_alive",
    "expected_orders",
    "quadrant",
    "value_score",
    "tier_move",
    "clv_historical",
    "clv_future",
    "clv",
)


# {partner field: snapshot column} of every figure read from the current
# snapshot: the sources' (filled as they are declared) and the scores.
SNAPSHOT_COLUMN_OF = PARTNER_MIRRORS
SNAPSHOT_COLUMN_OF.update((mirror_name(column), column) for column in SCORE_MIRRORS)


class ResPartner(models.Model):
    _inherit = "res.partner"

    value_tier_id = fields.Many2one(
        "crm.value.tier",
        groups=INTERNAL,
        company_dependent=True,
        copy=False,
        index=False,  # a GIN index instead, see _get_company_key_many2ones
        tracking=True,
        help="The customer's layer of the customer pyramid in this company, from "
        "its net profit; recomputed nightly unless locked.",
    )
    value_tier_color = fields.Integer(related="value_tier_id.color", groups=INTERNAL)
    value_tier_locked = fields.Boolean(
        string="Lock Tier",
        company_dependent=True,
        copy=False,
        groups=MANAGER,
        tracking=True,
        help="Keep the tier set by hand: the nightly recompute leaves it alone.",
    )
    value_abc_class = fields.Selection(
        [("A", "Class A"), ("B", "Class B"), ("C", "Class C")],
        groups=INTERNAL,
        string="ABC Class",
        company_dependent=True,
        copy=False,
        help="A: the customers making up the first 80% of cumulative profit, "
        "B: up to 95%, C: the rest (thresholds in the settings).",
    )
    value_tier_description = fields.Text(
        groups=INTERNAL, related="value_tier_id.description", string="How to Treat Them"
    )
    value_relationship_level = fields.Selection(
        groups=INTERNAL,
        related="value_tier_id.relationship_level",
        string="Relationship Level",
    )
    value_currency_id = fields.Many2one(
        "res.currency", compute="_compute_value_currency_id"
    )
    value_window_start = fields.Date(
        string="Analysis Window From",
        compute="_compute_value_window_start",
        groups=INTERNAL,
        help="The figures of the analysis window count from this day (the "
        "company's today less the window's months).",
    )
    value_date = fields.Date(
        groups=INTERNAL, string="Value Computed On", compute="_compute_value_public"
    )
    value_snapshot_count = fields.Integer(
        compute="_compute_value_public", groups=INTERNAL
    )
    value_rfm_recency = fields.Integer(
        aggregator=None,
        groups=INTERNAL,
        string="RFM Recency",
        compute="_compute_value_public",
        search=search_current_snapshot("rfm_recency"),
        help="1-5: 5 for the customers who bought most recently.",
    )
    value_rfm_frequency = fields.Integer(
        aggregator=None,
        groups=INTERNAL,
        string="RFM Frequency",
        compute="_compute_value_public",
        search=search_current_snapshot("rfm_frequency"),
        help="1-5: 5 for the customers who order most often.",
    )
    value_rfm_monetary = fields.Integer(
        aggregator=None,
        groups=INTERNAL,
        string="RFM Monetary",
        compute="_compute_value_public",
        search=search_current_snapshot("rfm_monetary"),
        help="1-5: 5 for the customers who bring the most profit.",
    )
    value_rfm_segment_id = fields.Many2one(
        "crm.value.rfm.segment",
        groups=INTERNAL,
        string="RFM Segment",
        compute="_compute_value_public",
        search=search_current_snapshot("rfm_segment_id"),
    )
    value_p_alive = fields.Float(
        aggregator="avg",
        groups=INTERNAL,
        string="P(alive)",
        compute="_compute_value_public",
        digits=(16, 2),
        search=search_current_snapshot("p_alive"),
        help="Probability that the customer still buys from you, from their "
        "purchase history (BG/NBD model); empty until enough customers reorder.",
    )
    value_expected_orders = fields.Float(
        groups=INTERNAL,
        string="Expected Orders (12 months)",
        compute="_compute_value_public",
        digits=(16, 2),
        search=search_current_snapshot("expected_orders"),
    )
    value_quadrant = fields.Selection(
        QUADRANTS,
        groups=INTERNAL,
        string="Value Matrix",
        compute="_compute_value_public",
        search=search_current_snapshot("quadrant"),
        help="Current value (net profit) against growth potential (predicted "
        "future profit), each high or low.",
    )
    value_score = fields.Float(
        aggregator="avg",
        groups=INTERNAL,
        compute="_compute_value_public",
        digits=(16, 1),
        search=search_current_snapshot("value_score"),
        help="0-100: the length of the value vector (economic, functional and "
        "psychological value, each scaled by percentile).",
    )
    value_tier_move = fields.Selection(
        TIER_MOVES,
        groups=INTERNAL,
        string="Tier Movement",
        compute="_compute_value_public",
        search=search_current_snapshot("tier_move"),
        help="How the customer's tier changed from its previous snapshot.",
    )
    # The customer explained, rendered from the stored facts when read.
    value_tier_reason = fields.Text(
        string="Why This Tier",
        groups=VALUE_USER,
        compute="_compute_value_tier_reason",
        help="The customer's rank and share of profit in the last ranking, and "
        "the rule of its tier.",
    )
    value_tier_next_step = fields.Text(
        string="To Move Up",
        groups=MANAGER,
        compute="_compute_value_tier_next_step",
        help="The extra net profit that would win the tier above, the other "
        "customers' figures unchanged.",
    )
    value_history_chart = fields.Json(
        string="Value History",
        groups=VALUE_USER,
        compute="_compute_value_history_chart",
        help="Tier (and net profit, for managers) at the last snapshot of each "
        "of the last 12 months.",
    )
    value_pricelist_pinned = fields.Boolean(
        string="Pin Pricelist",
        company_dependent=True,
        copy=False,
        groups=MANAGER,
        help="Keep this customer's pricelist when their tier changes.",
    )

    value_clv_historical = fields.Monetary(
        string="Historical Lifetime Value",
        currency_field="value_currency_id",
        groups=MANAGER,
        compute="_compute_value_amounts",
        search=search_current_snapshot("clv_historical"),
        help="Profit so far, brought to today's value at the monthly discount rate.",
    )
    value_clv_future = fields.Monetary(
        string="Future Lifetime Value",
        currency_field="value_currency_id",
        groups=MANAGER,
        compute="_compute_value_amounts",
        search=search_current_snapshot("clv_future"),
        help="Predicted profit over the horizon (BG/NBD orders times Gamma-Gamma "
        "profit per order), discounted to today.",
    )
    value_clv = fields.Monetary(
        string="Lifetime Value",
        currency_field="value_currency_id",
        groups=MANAGER,
        compute="_compute_value_amounts",
        search=search_current_snapshot("clv"),
        help="Historical plus future lifetime value.",
    )

    @api.depends_context("company")
    def _compute_value_currency_id(self):
        self.value_currency_id = self.env.company.currency_id

    @api.depends_context("company")
    def _compute_value_window_start(self):
        self.value_window_start = self.env.company._get_value_window_start()

    def _current_snapshots(self, columns):
        """{partner id: values} of the current snapshot of each commercial partner.

        Read as superuser because the amount columns are manager-only: callers
        only assign fields the current user is allowed to read.
        """
        commercial = self.commercial_partner_id
        rows = (
            self.env["crm.value.snapshot"]
            .sudo()
            .search_read(
                [
                    ("partner_id", "in", commercial.ids),
                    ("is_current", "=", True),
                    ("company_id", "=", self.env.company.id),
                ],
                ["partner_id", "date", *columns],
                load=None,  # ids, not display names of partners and segments
            )
        )
        by_commercial = {row["partner_id"]: row for row in rows}
        return {p.id: by_commercial.get(p.commercial_partner_id.id, {}) for p in self}

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

    def _get_snapshot_mirrors(self, compute):
        """{partner field: snapshot column} of the figures `compute` mirrors."""
        return {
            fname: column
            for fname, column in SNAPSHOT_COLUMN_OF.items()
            if fname in self._fields and self._fields[fname].compute == compute
        }

    @api.depends_context("company")
    def _compute_value_public(self):
        mirrors = self._get_snapshot_mirrors("_compute_value_public")
        snapshots = self._current_snapshots(mirrors.values())
        counts = dict(
            self.env["crm.value.snapshot"]
            .sudo()
            ._read_group(
                [
                    ("partner_id", "in", self.commercial_partner_id.ids),
                    ("company_id", "=", self.env.company.id),
                ],
                ["partner_id"],
                ["__count"],
            )
        )
        for partner in self:
            row = snapshots[partner.id]
            partner.value_date = row.get("date")
            partner.value_snapshot_count = counts.get(partner.commercial_partner_id, 0)
            for fname, column in mirrors.items():
                value = row.get(column) or False
                partner[fname] = value[0] if isinstance(value, tuple) else value

    @api.depends_context("company")
    def _compute_value_amounts(self):
        mirrors = self._get_snapshot_mirrors("_compute_value_amounts")
        snapshots = self._current_snapshots(mirrors.values())
        for partner in self:
            row = snapshots[partner.id]
            for fname, column in mirrors.items():
                partner[fname] = row.get(column) or 0.0

    def _value_standings(self):
        """{partner id: (Standing, tier, tiers)} of the partners the company's
        last ranking classed (a contact stands where its company stands)."""
        company = self.env.company
        Standing = self.env["crm.value.standing"]
        standings = Standing._get_standings(company, self.commercial_partner_id.ids)
        tiers = self.env["crm.value.tier"]._get_company_tiers(company)
        result = {}
        for partner in self:
            standing = standings.get(partner.commercial_partner_id.id)
            if standing and partner.value_tier_id:
                result[partner.id] = (standing, partner.value_tier_id, tiers)
        return result

    @api.depends_context("company", "lang")
    def _compute_value_tier_reason(self):
        Standing = self.env["crm.value.standing"]
        standings = self._value_standings()
        company = self.env.company
        for partner in self:
            if partner.id not in standings:
                partner.value_tier_reason = False
            elif partner.sudo().value_tier_locked:
                partner.value_tier_reason = self.env._(
                    "%(tier)s was set by a Customer Value manager and is locked: "
                    "the nightly ranking leaves it alone.",
                    tier=partner.value_tier_id.name,
                )
            else:
                partner.value_tier_reason = Standing._describe_tier(
                    *standings[partner.id], company
                )

    @api.depends_context("company", "lang")
    def _compute_value_tier_next_step(self):
        Standing = self.env["crm.value.standing"]
        standings = self._value_standings()
        for partner in self:
            if partner.id not in standings or partner.value_tier_locked:
                partner.value_tier_next_step = False
            else:
                partner.value_tier_next_step = (
                    Standing._describe_next_tier(
                        *standings[partner.id], self.env.company
                    )
                    or False
                )

    @api.depends_context("company", "lang", "uid")
    def _compute_value_history_chart(self):
        history = self.env["crm.value.standing"]._get_history(
            self.env.company,
            self.commercial_partner_id.ids,
            with_amounts=self.env.user.has_group(MANAGER),
        )
        for partner in self:
            partner.value_history_chart = history.get(
                partner.commercial_partner_id.id, False
            )

    # ------------------------------------------------------------------
    # Lists filtered and grouped by tier: company-dependent many2ones in SQL
    # ------------------------------------------------------------------
    def _get_company_key_many2ones(self):
        """Company-dependent many2ones that lists filter and group by, read
        straight from their company's key and searched through a GIN index.

        Odoo reads such a field through a subquery per row that checks the
        target still exists (it clears the ids of deleted targets anyway):
        no index can serve it, and its cost makes PostgreSQL compile the query
        (JIT). At 100,000 customers a list filtered on one tier took 0.85 s,
        grouping by tier 1.2 s. Odoo's own cleanup when a target is deleted
        (`@?` on the column) uses the GIN index too.

        Declare such a field with index=False."""
        return ["value_tier_id"]

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
                CREATE INDEX IF NOT EXISTS %s ON res_partner USING gin (%s jsonb_path_ops)
                """,
                    SQL.identifier(f"res_partner__{fname}_index"),
                    SQL.identifier(f"res_partner_{fname}_company_key_index"),
                    SQL.identifier(fname),
                )
            )
        return result

    def _is_company_key_many2one(self, fname):
        # A default value for all companies (ir.default) is read from outside
        # the column: Odoo's own SQL handles it.
        return fname in self._get_company_key_many2ones() and not self._fields[
            fname
        ].get_company_dependent_fallback(self)

    def _field_to_sql(self, alias, fname, query=None, flush=True):
        column = SNAPSHOT_COLUMN_OF.get(fname)
        if column:
            return self._current_snapshot_to_sql(alias, fname, column, query)
        sql = super()._field_to_sql(alias, fname, query, flush)  # access checked
        if not self._is_company_key_many2one(fname):
            return sql
        field = self._fields[fname]
        return SQL(
            "(%s->%s->>0)::int4",
            SQL.identifier(alias, fname, to_flush=field if flush else None),
            str(self.env.company.id),
        )

    def _current_snapshot_to_sql(self, alias, fname, column, query):
        """A figure of the current snapshot (of the commercial partner, in
        this company) as SQL: lists sort by it, and sum it in their groups
        and totals, as the stored fields it shows. Manager-only figures stay
        manager-only: the access check refuses them to others."""
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

    def _condition_to_sql(self, alias, fname, operator, value, query):
        """`= id` and `in ids` (also `tier.code in ...`, a subquery of ids) by
        containment, `{"<company id>": id}`, which the GIN index finds."""
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

    # ------------------------------------------------------------------
    # Fields the engines decide
    # ------------------------------------------------------------------
    def _get_engine_fields(self):
        """Fields that only the engines and Customer Value managers write: the
        form shows them read-only, and RPC must not write them either."""
        return {
            "value_tier_id",
            "value_tier_locked",
            "value_abc_class",
            "value_pricelist_pinned",
        }

    def _may_write_engine_fields(self):
        return self.env.su or self.env.user.has_group(MANAGER)

    def _check_engine_fields_write(self, vals):
        """Refuse `vals` (of a create or a write on these partners) when they
        hold engine fields and the user is no Customer Value manager. Addons
        extend it to let some of those writes through (they remove the fields
        they allow from `vals` before calling super)."""
        if self._may_write_engine_fields():
            return
        refused = self._get_engine_fields() & vals.keys()
        if refused:
            names = [
                self._fields[fname].get_description(self.env)["string"]
                for fname in sorted(refused)
            ]
            raise AccessError(
                self.env._(
                    "%(fields)s are set by the nightly recompute; only Customer "
                    "Value managers can change them by hand.",
                    fields=", ".join(names),
                )
            )

    @api.model
    def default_get(self, fields_list):
        # A default is a write too: from the context (a list grouped by tier
        # passes `default_value_tier_id`) or a personal ir.default, the engine
        # fields get none for users who may not write them.
        if not self._may_write_engine_fields():
            refused = self._get_engine_fields()
            fields_list = [fname for fname in fields_list if fname not in refused]
        return super().default_get(fields_list)

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self.browse()._check_engine_fields_write(vals)
        return super().create(vals_list)

    def write(self, vals):
        self._check_engine_fields_write(vals)
        result = super().write(vals)
        if "value_tier_id" in vals:
            self._recompute_quotation_tiers()
        return result

    def _recompute_quotation_tiers(self):
        """The quotations of these customers in this company follow their new
        tier (sale.order._compute_value_tier_id); confirmed orders keep theirs."""
        Order = self.env["sale.order"]
        quotations = (
            Order.sudo()
            .with_context(active_test=False)
            .search(
                [
                    ("partner_id.commercial_partner_id", "in", self.ids),
                    ("state", "in", ("draft", "sent")),
                    ("company_id", "=", self.env.company.id),
                ]
            )
        )
        self.env.add_to_compute(Order._fields["value_tier_id"], quotations)

    def _fields_sync(self, values):
        # Odoo reads each written partner's contacts to sync the fields they
        # share with it: none of those in the nightly tier and stage writes
        # (8 s of 90,000 customers' stages).
        synced = {"parent_id", "type", *self._commercial_fields()}
        if values.keys() & synced.union(self._address_fields()):
            return super()._fields_sync(values)
        return None

    def _write_logging_tracking(self, vals):
        """Write `vals` on many partners and log the tracked changes in the
        chatter as a write would (one note per partner with its tracking
        values), but all notes in one batch instead of one message per partner
        at commit: the nightly engines change thousands of partners.

        A partner's first value (its first tier or stage) is not logged, as
        Odoo logs none of the values a record is created with: it is no move,
        and after installing it was 90,000 notes (150 s) in one night."""
        tracked = self._track_get_fields() & vals.keys()
        context = self.env.context
        if (
            not tracked
            or context.get("tracking_disable")
            or context.get("mail_notrack")
        ):
            return self.write(vals)
        tracked_fields = self.fields_get(
            tracked, attributes=("string", "type", "selection", "currency_field")
        )
        for partners in split_every(TRACKING_CHUNK, self.ids, self.browse):
            # Only the tracked fields: a partner's first read would load all
            # its fields (a hundred columns of 1,000 partners, per chunk).
            initial = {
                p.id: {name: p[name] for name in tracked}
                for p in partners.with_context(prefetch_fields=False)
            }
            partners.with_context(mail_notrack=True).write(vals)
            changes = {}
            for partner in partners:
                if not any(initial[partner.id].values()):
                    continue
                tracking_value_ids = partner._mail_track(
                    tracked_fields, initial[partner.id]
                )[1]
                if tracking_value_ids:
                    changes[partner.id] = tracking_value_ids
            if changes:
                partners._log_tracking_values(changes)
            if len(self) > TRACKING_CHUNK:
                # Memory stays bounded: the records, notes and tracking values
                # of 90,000 partners held at once took 2.7 GB.
                self.env.flush_all()
                self.env.invalidate_all()
        return True

    def _log_tracking_values(self, changes):
        """Log {partner id: tracking value commands} as the notes tracking
        logs (_message_log), created together."""
        author_id, email_from = self._message_compute_author(raise_on_email=False)
        base = {
            "author_id": author_id,
            "email_from": email_from,
            "model": self._name,
            "record_alias_domain_id": False,
            "record_company_id": False,
            "record_name": False,
            "message_type": "notification",
            "is_internal": True,
            "subtype_id": self.env["ir.model.data"]._xmlid_to_res_id("mail.mt_note"),
            "email_add_signature": False,
            "reply_to": self.env["mail.thread"]._notify_get_reply_to(
                default=email_from
            )[False],
        }
        messages = self.sudo()._message_create(
            [
                dict(
                    base,
                    res_id=partner_id,
                    body="",
                    message_id=generate_tracking_message_id("message-notify"),
                )
                for partner_id in changes
            ]
        )
        # Their tracking values in one create (mail.message creates them
        # message by message).
        self.env["mail.tracking.value"].sudo().create(
            [
                dict(command[2], mail_message_id=message.id)
                for message, commands in zip(messages, changes.values(), strict=True)
                for command in commands
            ]
        )

    def action_recompute_value(self):
        """Recompute the value and tier of the selected customers now."""
        if not self.env.user.has_group(MANAGER):
            raise AccessError(
                self.env._("Only Customer Value managers can recompute customer value.")
            )
        # The engine writes the figures and tiers it computes (managers need
        # not be contact creators), as the nightly run does; the chatter
        # still names the manager.
        engine = self.env["crm.value.engine"].sudo()
        engine._recompute_partners(self.env.company, self.commercial_partner_id.ids)
        self.env["crm.value.scoring"].sudo()._refresh_company(self.env.company)
        return True

    def action_open_value_snapshots(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "crm_value.crm_value_snapshot_action"
        )
        action["domain"] = [("partner_id", "=", self.commercial_partner_id.id)]
        action["context"] = {"search_default_group_by_date": 0}
        return action
