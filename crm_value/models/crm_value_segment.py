import psycopg2

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL

from ..groups import MANAGER
from ..tools.segment_domain import SegmentDomainError, parse_domain

# Lists of records a filter may go through (to the tags' names).
SEGMENT_LIST_PATHS = ("category_id",)
# Written by the nightly count only (and read everywhere).
COUNTED_FIELDS = {
    "member_count",
    "member_profit",
    "counted_on",
    "previous_member_count",
    "previous_member_profit",
    "previous_counted_on",
}


class CrmValueSegment(models.Model):
    """A saved segment of customers (变量因素分析法: customers sorted by the
    factors that matter to the company): a filter over customers (any
    value figure, tier, stage, RFM segment, industry, tags, country...)
    kept as data, counted each night, usable as a care plan's filter, a
    dashboard tile and a mailing list.

    Its members are the customers of its company (those with a current value
    snapshot there) that its filter selects. The filter is a literal domain
    over contacts (res.partner), checked on save and never evaluated."""

    _name = "crm.value.segment"
    _inherit = ["mail.thread"]
    _description = "Customer Segment"
    _order = "sequence, name, id"

    name = fields.Char(required=True, translate=True, tracking=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True, tracking=True)
    company_id = fields.Many2one(
        "res.company",
        required=True,
        index=True,
        default=lambda self: self.env.company,
        tracking=True,
        help="The segment's customers are this company's: those with a current "
        "value snapshot in it, its figures read in it.",
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    description = fields.Text(
        translate=True, help="Who these customers are and what to do with them."
    )
    domain = fields.Char(
        string="Filter",
        default="[]",
        required=True,
        tracking=True,
        help="Which of the company's customers belong to the segment: a filter "
        "on contacts (figures, tier, stage, RFM segment, industry, tags, "
        "country...). Values only: no code is run.",
    )
    show_on_dashboard = fields.Boolean(
        help="Show the segment's count, profit and trend on the Customer Value "
        "dashboard."
    )
    managers_only = fields.Boolean(
        compute="_compute_managers_only",
        store=True,
        help="The filter reads a figure only managers see (an amount): the "
        "segment and who belongs to it are then shown to managers only, as its "
        "members would tell the amount's threshold.",
    )
    member_count = fields.Integer(
        string="Customers",
        readonly=True,
        copy=False,
        help="Customers in the segment at the last nightly count.",
    )
    member_profit = fields.Monetary(
        string="Profit",
        readonly=True,
        copy=False,
        groups=MANAGER,
        currency_field="currency_id",
        help="The profit the company ranks its customers on (Settings), summed "
        "over the segment's customers at the last nightly count.",
    )
    counted_on = fields.Date(
        readonly=True, copy=False, help="The day of the last count."
    )
    previous_member_count = fields.Integer(
        string="Customers Before",
        readonly=True,
        copy=False,
        help="Customers in the segment at the count of an earlier day.",
    )
    previous_member_profit = fields.Monetary(
        string="Profit Before",
        readonly=True,
        copy=False,
        groups=MANAGER,
        currency_field="currency_id",
    )
    previous_counted_on = fields.Date(
        string="Counted Before On", readonly=True, copy=False
    )
    member_count_trend = fields.Integer(
        string="Customers Trend",
        compute="_compute_trend",
        help="Customers gained (or lost) since the count of an earlier day.",
    )
    member_profit_trend = fields.Monetary(
        string="Profit Trend",
        compute="_compute_profit_trend",
        groups=MANAGER,
        currency_field="currency_id",
    )
    history_ids = fields.One2many(
        "crm.value.segment.history", "segment_id", readonly=True
    )

    @api.depends("member_count", "previous_member_count", "previous_counted_on")
    def _compute_trend(self):
        for segment in self:
            segment.member_count_trend = (
                segment.member_count - segment.previous_member_count
                if segment.previous_counted_on
                else 0
            )

    @api.depends("member_profit", "previous_member_profit", "previous_counted_on")
    def _compute_profit_trend(self):
        for segment in self:
            segment.member_profit_trend = (
                segment.member_profit - segment.previous_member_profit
                if segment.previous_counted_on
                else 0.0
            )

    # ------------------------------------------------------------------
    # The filter: a literal domain on contacts
    # ------------------------------------------------------------------
    @api.depends("domain")
    def _compute_managers_only(self):
        for segment in self:
            try:
                fields_read = segment._get_filter_fields()
            except (ValidationError, UserError):
                fields_read = []
            segment.managers_only = any(
                field.groups and MANAGER in field.groups.split(",")
                for field in fields_read
            )

    def _get_filter_fields(self):
        """The fields the filter's conditions go through, from contacts on;
        refused: a path through a list of records other than tags (searched
        as superuser, it would count what the record rules hide, e.g. another
        company's orders) and the segments themselves (a loop)."""
        self.ensure_one()
        model = self.env["res.partner"]
        found = []
        for leaf in self._get_filter_domain():
            if not isinstance(leaf, tuple) or not isinstance(leaf[0], str):
                continue
            current = model
            names = leaf[0].split(".")
            for position, name in enumerate(names):
                field = current._fields.get(name)
                if field is None:
                    break  # unknown: the search below says so
                last = position == len(names) - 1
                if name == "value_segment_ids" or (
                    field.type in ("one2many", "many2many")
                    and not last
                    and name not in SEGMENT_LIST_PATHS
                ):
                    raise ValidationError(
                        self.env._(
                            "Segment %(segment)s: the condition on %(path)s is "
                            "not allowed: a segment filters on the contact's own "
                            "fields, its tags and the records it points to (such "
                            "as country_id.code), not through lists of records "
                            "nor on segments.",
                            segment=self.name,
                            path=leaf[0],
                        )
                    )
                found.append(field)
                if not field.relational:
                    break
                current = self.env[field.comodel_name]
        return found

    @api.constrains("domain", "company_id")
    def _check_domain(self):
        for segment in self:
            domain = segment._get_filter_domain()
            segment._get_filter_fields()
            Partner = self.env["res.partner"].with_company(segment.company_id)
            try:
                # Run once, in a savepoint: a value of the wrong type for its
                # field only fails in the database.
                with self.env.cr.savepoint():
                    Partner.search_count(domain, limit=1)
            except (ValueError, TypeError, KeyError, psycopg2.Error) as error:
                raise ValidationError(
                    self.env._(
                        "Segment %(segment)s: the filter does not apply to "
                        "contacts: %(error)s",
                        segment=segment.name,
                        error=error,
                    )
                ) from error

    def _get_filter_domain(self):
        """The segment's filter as a list (operators and leaves of plain
        values); a filter that is not a literal domain is refused."""
        self.ensure_one()
        try:
            return parse_domain(self.domain)
        except SegmentDomainError as error:
            reasons = {
                "not_literal": self.env._(
                    "it must be written with values only (text, numbers, "
                    'True/False, lists), e.g. [("country_id.code", "=", '
                    '"CN")]; names and expressions such as uid or '
                    "context_today() are not allowed"
                ),
                "not_list": self.env._("it must be a list of conditions"),
                "bad_leaf": self.env._(
                    'each condition is a (field, operator, value) triple or "&", '
                    '"|", "!"; %(found)s is neither',
                    found=error.detail,
                ),
            }
            raise ValidationError(
                self.env._(
                    "Segment %(segment)s: the filter is not valid: %(reason)s.",
                    segment=self.name,
                    reason=reasons[error.reason],
                )
            ) from error

    def _get_customers_query(self):
        """The company's customers: the commercial partners with a current
        value snapshot in the segment's company."""
        self.ensure_one()
        return (
            self.env["crm.value.snapshot"]
            .sudo()
            ._search(
                [("company_id", "=", self.company_id.id), ("is_current", "=", True)]
            )
            .subselect(SQL.identifier("crm_value_snapshot", "partner_id"))
        )

    def _get_members_query(self):
        """Query of the segment's members: its filter over the company's
        customers, searched in the segment's company (the figures are read
        there) as superuser, so that a filter on amounts counts for everyone;
        screens search `value_segment_ids` as the user, whose record rules
        then apply (res.partner._search_value_segment_ids)."""
        self.ensure_one()
        return (
            self.env["res.partner"]
            .sudo()
            .with_company(self.company_id)
            ._search(
                [*self._get_filter_domain(), ("id", "in", self._get_customers_query())]
            )
        )

    # ------------------------------------------------------------------
    # The nightly count
    # ------------------------------------------------------------------
    @api.model
    def _cron_count_segments(self):
        """Count every active segment's customers and sum their profit, per
        company, as superuser in that company; one history row a day."""
        segments = self.sudo().search([])
        for company in segments.company_id:
            company_segments = segments.filtered(lambda s, c=company: s.company_id == c)
            company_segments.with_company(company)._count_members()
            # Each company's counts are complete when committed: a run that
            # stops half way leaves the other companies' previous counts.
            self.env["crm.value.queue"]._commit()

    def _count_members(self):
        """Count and sum these segments (of one company) now: one query per
        segment, whatever the number of customers."""
        if not self:
            return
        company = self.company_id.ensure_one()
        today = company._get_value_today()
        profit = self.env["crm.value.ranking"]._get_ranking_basis(company)
        Snapshot = self.env["crm.value.snapshot"]
        self.env.flush_all()
        figures = {}
        for segment in self:
            self.env.cr.execute(
                SQL(
                    """
                SELECT COUNT(*), COALESCE(SUM(%(profit)s), 0)
                  FROM crm_value_snapshot
                 WHERE company_id = %(company)s AND is_current
                   AND partner_id IN %(members)s
                """,
                    profit=SQL.identifier(
                        "crm_value_snapshot", profit, to_flush=Snapshot._fields[profit]
                    ),
                    company=company.id,
                    members=segment._get_members_query().subselect(),
                )
            )
            figures[segment] = self.env.cr.fetchone()
        for segment, (count, amount) in figures.items():
            values = {"member_count": count, "member_profit": amount}
            if segment.counted_on and segment.counted_on < today:
                # The last count of an earlier day becomes the one to compare to.
                values.update(
                    previous_member_count=segment.member_count,
                    previous_member_profit=segment.member_profit,
                    previous_counted_on=segment.counted_on,
                )
            segment.write({**values, "counted_on": today})
        self.env["crm.value.segment.history"]._record(today, figures)

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._check_counted_fields(vals)
        return super().create(vals_list)

    def write(self, vals):
        self._check_counted_fields(vals)
        return super().write(vals)

    @api.model
    def _check_counted_fields(self, vals):
        if not self.env.su and vals.keys() & COUNTED_FIELDS:
            raise UserError(
                self.env._(
                    "A segment's counts are made by the nightly count: they "
                    "cannot be set by hand."
                )
            )

    # ------------------------------------------------------------------
    # Actions and what other screens read
    # ------------------------------------------------------------------
    def _get_members_action(self):
        """The window action listing the segment's members, as the user."""
        self.ensure_one()
        return self.env["crm.value.dashboard"]._dashboard_action(
            "crm_value.res_partner_action_customer_value",
            self.env._("%(segment)s: customers", segment=self.name),
            [("value_segment_ids", "in", self.ids)],
            "list",
            {"create": False},
        )

    def action_open_members(self):
        return self._get_members_action()

    def action_count_now(self):
        """Count the segment now (managers), as the nightly count does."""
        self.check_access("write")
        for company in self.company_id:
            self.filtered(lambda s, c=company: s.company_id == c).sudo().with_company(
                company
            )._count_members()
        return True

    @api.model
    def _get_dashboard_segments(self, company, show_amounts):
        """The dashboard's segments tile: the company's segments marked to show
        there, with their counts (profit for managers), trends and members."""
        segments = self.search(
            [("company_id", "=", company.id), ("show_on_dashboard", "=", True)]
        )
        rows = []
        for segment in segments:
            row = {
                "id": segment.id,
                "name": segment.name,
                "count": segment.member_count,
                "count_trend": segment.member_count_trend,
                "counted_on": segment.counted_on and segment.counted_on.isoformat(),
                "has_trend": bool(segment.previous_counted_on),
                "action": segment._get_members_action(),
            }
            if show_amounts:
                row["profit"] = segment.member_profit
                row["profit_trend"] = segment.member_profit_trend
            rows.append(row)
        return {"segments": rows}
