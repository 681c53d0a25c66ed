"""Settings name each company's default NPS, CSAT and CES surveys: the
companies there before get the shipped ones."""

from odoo import SUPERUSER_ID, api


def migrate(cr, version):
    env = api.Environment(cr, SUPERUSER_ID, {})
    env["res.company"]._care_set_default_surveys()
