"""Profit follows the matching principle now: the cost of goods delivered and
the handling of orders not invoiced yet are held as pending cost until their
invoice, and a customer with nothing invoiced is not ranked. The snapshots of
18.0.1.0.0 stay as they were computed (they are the history of those days,
without the new pending cost, to-invoice and invoiced-purchase figures); every
customer of each company is queued for the scheduled recompute, which writes
today's figures, tiers and scores the new way soon after the update (the
lifecycle follows it), instead of the update recomputing them itself."""

import logging

from odoo import SUPERUSER_ID, api

_logger = logging.getLogger(__name__)


def migrate(cr, version):
    env = api.Environment(cr, SUPERUSER_ID, {})
    engine = env["crm.value.engine"]
    for company in env["res.company"].search([]):
        engine._queue_company_recompute(company)
        _logger.info("%s: every customer queued for the value recompute", company.name)
