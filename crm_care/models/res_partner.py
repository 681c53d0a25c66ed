from odoo import api, fields, models


class ResPartner(models.Model):
    _inherit = "res.partner"

    care_user_id = fields.Many2one(
        "res.users",
        string="Dedicated Representative",
        compute="_compute_care_user_id",
        store=True,
        readonly=False,
        precompute=True,
        tracking=True,
        index="btree_not_null",
        domain=[("share", "=", False)],
        help="The one person who looks after this customer (专门的服务代表); "
        "by default the salesperson. Care activities are assigned to them.",
    )
    care_team_id = fields.Many2one("crm.care.team", tracking=True)
    # Same name as the OCA's partner_contact_birthdate, so both can be installed.
    birthdate_date = fields.Date(string="Birthdate")
    care_event_ids = fields.One2many("crm.care.event", "partner_id", string="Care")
    care_event_count = fields.Integer(compute="_compute_care_event_count")

    @api.depends("user_id")
    def _compute_care_user_id(self):
        for partner in self:
            if not partner.care_user_id and not partner.parent_id:
                partner.care_user_id = partner.user_id

    def _commercial_fields(self):
        # Contacts share their company's representative and team.
        return super()._commercial_fields() + ["care_user_id", "care_team_id"]

    def _compute_care_event_count(self):
        counts = dict(
            self.env["crm.care.event"]._read_group(
                [("partner_id", "in", self.commercial_partner_id.ids)],
                ["partner_id"],
                ["__count"],
            )
        )
        for partner in self:
            partner.care_event_count = counts.get(partner.commercial_partner_id, 0)

    def write(self, vals):
        if "value_tier_id" not in vals:
            return super().write(vals)
        before = {partner.id: partner.value_tier_id for partner in self}
        result = super().write(vals)
        self._care_fire_tier_changes(before)
        return result

    def _care_fire_tier_changes(self, tiers_before):
        """Launch the tier-changed plans for the customers whose tier moved."""
        Plan = self.env["mail.activity.plan"]
        plans = Plan._care_plans("tier_changed", self.env.company)
        if not plans:
            return
        today = fields.Date.context_today(self)
        moves = {"up": [], "down": []}
        for partner in self:
            old, new = tiers_before[partner.id], partner.value_tier_id
            if old == new or not (old and new):
                continue
            direction = "up" if new.sequence < old.sequence else "down"
            moves[direction].append((partner, f"tier,{today},{new.id}", None, today))
        for plan in plans:
            wanted = (
                ("up", "down")
                if plan.care_tier_direction == "any"
                else (plan.care_tier_direction,)
            )
            plan._care_launch([event for way in wanted for event in moves[way]])

    def action_open_care_events(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "crm_care.crm_care_event_action"
        )
        action["domain"] = [("partner_id", "=", self.commercial_partner_id.id)]
        return action
