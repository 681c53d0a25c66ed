"""The tier pricelist setting became the tier terms setting (the tier's
pricelist and payment terms): a company that applied tier pricelists applies
tier terms. Renamed before the models load, so the column keeps its values."""

from openupgradelib import openupgrade


def migrate(cr, version):
    if openupgrade.column_exists(
        cr, "res_company", "value_apply_tier_pricelist"
    ) and not openupgrade.column_exists(cr, "res_company", "value_apply_tier_terms"):
        openupgrade.rename_columns(
            cr,
            {"res_company": [("value_apply_tier_pricelist", "value_apply_tier_terms")]},
        )
