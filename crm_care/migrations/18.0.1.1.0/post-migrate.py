"""Deliveries validated but not yet cared for were marked care_pending on the
picking; they are now rows of crm.care.queue (Odoo drops the column with the
field at the end of the update)."""


def migrate(cr, version):
    cr.execute(
        """
        SELECT 1 FROM information_schema.columns
         WHERE table_name = 'stock_picking' AND column_name = 'care_pending'
        """
    )
    if not cr.fetchone():
        return
    cr.execute(
        """
        INSERT INTO crm_care_queue
               (trigger, partner_id, company_id, user_id, res_model, res_id, date)
        SELECT 'delivery_done', partner_id, company_id, write_uid, 'stock.picking',
               id, COALESCE(date_done, write_date)::date
          FROM stock_picking
         WHERE care_pending AND partner_id IS NOT NULL
        """
    )
