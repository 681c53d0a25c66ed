from odoo import api, fields, models

from ..figures import Figure, figure_source

AMOUNT = {"aggregator": "sum"}


@figure_source
class CrmValueFigureProfit(models.AbstractModel):
    """Net profit and margin, derived from the other sources' figures once
    they have all run, over the window and over the whole history."""

    _name = "crm.value.figure.profit"
    _inherit = "crm.value.figure.source"
    _description = "Customer Value Figures: Profit"
    _figures = (
        Figure(
            "net_profit",
            fields.Monetary,
            managers_only=True,
            snapshot=AMOUNT,
            partner={
                "string": "Net Profit",
                "help": "Revenue minus cost of goods minus cost to serve.",
            },
        ),
        Figure(
            "margin_percent",
            fields.Float,
            managers_only=True,
            snapshot={"string": "Margin (%)", "aggregator": "avg"},
            partner={"aggregator": None, "string": "Margin (%)", "digits": (16, 1)},
        ),
        Figure(
            "lifetime_net_profit",
            fields.Monetary,
            managers_only=True,
            snapshot=AMOUNT,
            partner={"string": "Net Profit (all time)"},
        ),
        Figure(
            "lifetime_margin_percent",
            fields.Float,
            managers_only=True,
            snapshot={"string": "Lifetime Margin (%)", "aggregator": "avg"},
            partner={
                "aggregator": None,
                "string": "Margin (%) (all time)",
                "digits": (16, 1),
            },
        ),
    )

    @api.model
    def _derive_figures(self, figures):
        for figure in figures.values():
            for prefix in ("", "lifetime_"):
                revenue = figure[f"{prefix}revenue"]
                net = (
                    revenue - figure[f"{prefix}cogs"] - figure[f"{prefix}cost_to_serve"]
                )
                figure[f"{prefix}net_profit"] = net
                figure[f"{prefix}margin_percent"] = (
                    100.0 * net / revenue if revenue else 0.0
                )
