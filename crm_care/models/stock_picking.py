from odoo import api, fields, models
from odoo.tools import SQL, create_index


class StockPicking(models.Model):
    _inherit = "stock.picking"

    care_pending = fields.Boolean(
        copy=False,
        readonly=True,
        help="Delivered: the care scheduler launches its delivery care plans.",
    )

    def init(self):
        # The scheduler looks for the few pending deliveries among all.
        create_index(
            self.env.cr,
            "stock_picking_care_pending_index",
            self._table,
            ["id"],
            where="care_pending",
        )
        return super().init()

    def _action_done(self):
        result = super()._action_done()
        deliveries = self.filtered(
            lambda p: (
                p.state == "done"
                and p.location_dest_id.usage == "customer"
                and p.partner_id
            )
        )
        if deliveries:
            # Validating a delivery must not wait for its care plans (activities,
            # notifications): it marks the delivery and wakes the scheduler.
            self.env.cr.execute(
                SQL(
                    "UPDATE stock_picking SET care_pending = TRUE WHERE id IN %s",
                    tuple(deliveries.ids),
                )
            )
            deliveries.invalidate_recordset(["care_pending"])
            self.env.ref("crm_care.ir_cron_care_scheduler").sudo()._trigger()
        return result

    @api.model
    def _care_fire_pending_deliveries(self):
        """Launch the delivery care plans of the deliveries validated since the
        last run, once each (crm.care.event keeps them from firing twice), as
        the user who validated them and dated from the day they were done."""
        self.env.flush_all()
        self.env.cr.execute(
            "SELECT id FROM stock_picking WHERE care_pending FOR UPDATE SKIP LOCKED"
        )
        pickings = self.browse([row[0] for row in self.env.cr.fetchall()])
        if not pickings:
            return
        for (user, company), group in pickings.grouped(
            lambda p: (p.write_uid, p.company_id)
        ).items():
            group = group.with_user(user) if user else group
            group.env["mail.activity.plan"]._care_fire(
                "delivery_done",
                [
                    (
                        p.partner_id,
                        f"stock.picking,{p.id}",
                        p,
                        fields.Date.context_today(p, p.date_done),
                    )
                    for p in group
                ],
                company,
            )
        self.env.cr.execute(
            SQL(
                "UPDATE stock_picking SET care_pending = FALSE WHERE id IN %s",
                tuple(pickings.ids),
            )
        )
        pickings.invalidate_recordset(["care_pending"])
