from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools.misc import format_date, formatLang

from odoo.addons.crm_value.groups import INTERNAL, MANAGER, USER
from odoo.addons.crm_value.tools.field_search import search_with

from .crm_lifecycle_facts import FACTS

# What only the engines and Customer Value managers write (but see
# _check_engine_fields_write: the pre-sale moves of a salesperson).
STAGE_FIELDS = {"lifecycle_stage_id", "lifecycle_stage_date", "lifecycle_locked"}

# Average days in a month, for orders per month.
DAYS_PER_MONTH = 365.25 / 12


def _search_fact(name):
    """Field search on a live fact of the partner (crm.lifecycle.facts)."""
    return search_with("_search_lifecycle_fact", name)


class ResPartner(models.Model):
    _inherit = "res.partner"

    lifecycle_stage_id = fields.Many2one(
        "crm.lifecycle.stage",
        company_dependent=True,
        index=False,  # a GIN index instead, see _get_company_key_many2ones
        tracking=True,
        copy=False,
        group_expand="_read_group_expand_full",
        help="Where the customer stands in its lifecycle in this company; moved "
        "by the lifecycle rules unless locked.",
        groups=INTERNAL,
    )
    lifecycle_stage_color = fields.Integer(
        related="lifecycle_stage_id.color",
        string="Stage Color",
        groups=INTERNAL,
    )
    lifecycle_stage_is_lost = fields.Boolean(
        related="lifecycle_stage_id.is_lost", string="Stage Is Lost", groups=INTERNAL
    )
    lifecycle_stage_action = fields.Text(
        related="lifecycle_stage_id.action_note",
        string="Recommended Action",
        groups=INTERNAL,
    )
    lifecycle_stage_date = fields.Date(
        string="In Stage Since",
        company_dependent=True,
        copy=False,
        readonly=True,
        groups=INTERNAL,
    )
    lifecycle_locked = fields.Boolean(
        string="Lock Stage",
        company_dependent=True,
        copy=False,
        groups=MANAGER,
        tracking=True,
        help="Keep the stage set by hand: the lifecycle rules leave it alone.",
    )
    lifecycle_history_ids = fields.One2many(
        "crm.lifecycle.history", "partner_id", groups=INTERNAL
    )
    lifecycle_history_count = fields.Integer(
        compute="_compute_lifecycle_history", groups=INTERNAL
    )
    lifecycle_won_back = fields.Boolean(
        string="Won Back",
        compute="_compute_lifecycle_history",
        search="_search_lifecycle_won_back",
        help="The customer was lost once in this company and came back (挽回).",
        groups=INTERNAL,
    )
    lifecycle_order_count = fields.Integer(
        string="Purchases",
        compute="_compute_lifecycle_facts",
        search=_search_fact("lifecycle_order_count"),
        help="Confirmed sales orders and posted invoices with no sales order, "
        "in this company, all time, as of now.",
        groups=INTERNAL,
    )
    lifecycle_first_order_date = fields.Date(
        string="First Order",
        compute="_compute_lifecycle_facts",
        search=_search_fact("lifecycle_first_order_date"),
        groups=INTERNAL,
    )
    lifecycle_last_order_date = fields.Date(
        string="Last Order",
        compute="_compute_lifecycle_facts",
        search=_search_fact("lifecycle_last_order_date"),
        groups=INTERNAL,
    )
    lifecycle_order_interval = fields.Float(
        string="Usual Days Between Orders",
        compute="_compute_lifecycle_facts",
        search=_search_fact("lifecycle_order_interval"),
        digits=(16, 1),
        help="(Last order - first order) / (orders - 1), for customers with two "
        "orders or more; 0 otherwise.",
        groups=INTERNAL,
    )
    lifecycle_days_since_order = fields.Integer(
        string="Days Since Last Order",
        compute="_compute_lifecycle_facts",
        search=_search_fact("lifecycle_days_since_order"),
        groups=INTERNAL,
    )
    lifecycle_cadence = fields.Text(
        string="Order Cadence",
        compute="_compute_lifecycle_cadence",
        help="The customer's orders per month, usual interval and last order, "
        "in words, from the facts above.",
        groups=INTERNAL,
    )
    lifecycle_open_lead_count = fields.Integer(
        string="Open Leads",
        compute="_compute_lifecycle_facts",
        search=_search_fact("lifecycle_open_lead_count"),
        groups=INTERNAL,
    )
    lifecycle_open_opportunity_count = fields.Integer(
        string="Open Opportunities",
        compute="_compute_lifecycle_facts",
        search=_search_fact("lifecycle_open_opportunity_count"),
        help="Opportunities neither won nor lost.",
        groups=INTERNAL,
    )

    def _get_company_key_many2ones(self):
        # The stage filters and the kanban grouped by stage.
        return [*super()._get_company_key_many2ones(), "lifecycle_stage_id"]

    @api.depends_context("company")
    def _compute_lifecycle_facts(self):
        company = self.env.company
        values = self.env["crm.lifecycle.facts"]._get_field_values(
            company, self.commercial_partner_id.ids, company._get_value_today()
        )
        for partner in self:
            partner.update(values[partner.commercial_partner_id.id])

    @api.depends_context("company", "lang")
    def _compute_lifecycle_cadence(self):
        today = self.env.company._get_value_today()
        for partner in self:
            partner.lifecycle_cadence = partner._describe_cadence(today)

    def _describe_cadence(self, today):
        """The order cadence in the reader's language, from the live facts."""
        _ = self.env._
        count = self.lifecycle_order_count
        if not count:
            return _("No confirmed order yet.")
        last = format_date(self.env, self.lifecycle_last_order_date)
        days = self.lifecycle_days_since_order
        if days <= 0:
            ago = _("today")
        elif days == 1:
            ago = _("yesterday")
        else:
            ago = _("%(days)s days ago", days=days)
        if count == 1:
            return _("One order, on %(date)s (%(ago)s).", date=last, ago=ago)
        months = max((today - self.lifecycle_first_order_date).days / DAYS_PER_MONTH, 1)
        interval = self.lifecycle_order_interval
        text = _(
            "%(count)s orders since %(first)s, %(per_month)s a month: usually one "
            "every %(interval)s days. Last order on %(last)s, %(ago)s.",
            count=count,
            first=format_date(self.env, self.lifecycle_first_order_date),
            per_month=formatLang(self.env, count / months, digits=1),
            interval=formatLang(self.env, interval, digits=0),
            last=last,
            ago=ago,
        )
        if interval and days > interval:
            text += " " + _(
                "That is %(ratio)s times the usual interval.",
                ratio=formatLang(self.env, days / interval, digits=1),
            )
        return text

    def _search_lifecycle_fact(self, name, operator, value):
        """Partners (and their contacts) whose fact `name` matches, as of the
        company's day."""
        company = self.env.company
        Facts = self.env["crm.lifecycle.facts"]
        kind = FACTS[name].kind
        query = Facts._get_queries(company, company._get_value_today())[kind]
        return Facts._search_domain(name, operator, value, query)

    @api.depends("lifecycle_history_ids.is_win_back")
    @api.depends_context("company")
    def _compute_lifecycle_history(self):
        groups = self.env["crm.lifecycle.history"]._read_group(
            [("partner_id", "in", self.ids), ("company_id", "=", self.env.company.id)],
            ["partner_id"],
            ["__count", "is_win_back:bool_or"],
        )
        by_partner = {partner: (count, won) for partner, count, won in groups}
        for partner in self:
            count, won = by_partner.get(partner, (0, False))
            partner.lifecycle_history_count = count
            partner.lifecycle_won_back = won

    def _search_lifecycle_won_back(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(self.env._("Search Won Back with = True or = False."))
        won_back = [
            (
                "lifecycle_history_ids",
                "any",
                [("is_win_back", "=", True), ("company_id", "=", self.env.company.id)],
            )
        ]
        return won_back if (operator == "=") == value else ["!", *won_back]

    # ------------------------------------------------------------------
    # Who moves a customer
    # ------------------------------------------------------------------
    def _get_engine_fields(self):
        return super()._get_engine_fields() | STAGE_FIELDS

    def _check_engine_fields_write(self, vals):
        # A salesperson moves their own prospects through the pre-sale stages
        # (calling, visiting); every other stage is the rules' or a manager's.
        if "lifecycle_stage_id" in vals and not self._may_write_engine_fields():
            if not self._is_own_pre_sale_move(vals):
                raise AccessError(
                    self.env._(
                        "You can move only your own prospects (you are their "
                        "salesperson), through the stages before the first "
                        "order: %(stages)s. The other stages are set by the "
                        "lifecycle rules and Customer Value managers.",
                        stages=", ".join(
                            self.env["crm.lifecycle.stage"]
                            .sudo()
                            .search([])
                            .filtered(lambda stage: stage._is_pre_sale())
                            .mapped("name")
                        ),
                    )
                )
            vals = {
                name: value
                for name, value in vals.items()
                if name not in ("lifecycle_stage_id", "lifecycle_stage_date")
            }
        return super()._check_engine_fields_write(vals)

    def _is_own_pre_sale_move(self, vals):
        """Whether `vals` (of a create, or a write on these partners) move
        only the user's own prospects (their salesperson is the user) from a
        pre-sale stage, or none, to a pre-sale stage, today."""
        stage = (
            self.env["crm.lifecycle.stage"].sudo().browse(vals["lifecycle_stage_id"])
        )
        today = self.env.company._get_value_today()
        date = vals.get("lifecycle_stage_date", today)
        if (
            not stage.exists()
            or not stage._is_pre_sale()
            or fields.Date.to_date(date) != today
        ):
            return False
        if not self:
            return vals.get("user_id") == self.env.uid
        if "user_id" in vals and vals["user_id"] != self.env.uid:
            return False
        return all(
            partner.user_id == self.env.user
            and (
                not partner.lifecycle_stage_id
                or partner.lifecycle_stage_id._is_pre_sale()
            )
            for partner in self.sudo()
        )

    @api.model_create_multi
    def create(self, vals_list):
        partners = super().create(vals_list)
        self.env["crm.lifecycle.history"]._record_manual_moves(
            partners.filtered("lifecycle_stage_id"), {}
        )
        return partners

    def write(self, vals):
        if "lifecycle_stage_id" not in vals:
            return super().write(vals)
        # The stage alone: a partner's first read loads all its fields.
        before = {
            partner.id: partner.lifecycle_stage_id
            for partner in self.with_context(prefetch_fields=False)
        }
        vals = {"lifecycle_stage_date": self.env.company._get_value_today(), **vals}
        result = super().write(vals)
        self.env["crm.lifecycle.history"]._record_manual_moves(self, before)
        return result

    def action_evaluate_lifecycle(self):
        """Apply the lifecycle rules to the selected customers now."""
        if not self.env.user.has_group(USER):
            raise AccessError(
                self.env._("Only Customer Value users can evaluate lifecycle stages.")
            )
        self.env["crm.lifecycle.engine"]._evaluate_partners(
            self.env.company, self.commercial_partner_id.ids
        )
        return True

    def action_open_lifecycle_history(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "crm_lifecycle.crm_lifecycle_history_action"
        )
        action["domain"] = [("partner_id", "=", self.commercial_partner_id.id)]
        action["context"] = {}
        return action
