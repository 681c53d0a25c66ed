from odoo import api, models


class CrmValueFigureSource(models.AbstractModel):
    """What every figure source is: the figures it declares (`_figures`,
    crm_value.figures.Figure entries, made columns and partner fields by the
    @figure_source decorator) and one hook computing them for a set of
    customers. The engine runs the sources in `_figure_sequence` order and
    merges what they yield as each figure declares (a source may add to a
    figure another declares, e.g. a cost to serve)."""

    _name = "crm.value.figure.source"
    _description = "Customer Value Figure Source"

    _figures = ()
    # Sources run in this order; derived figures are computed after all.
    _figure_sequence = 100

    @api.model
    def _get_figures(self, scope):
        """{partner id: {figure name: value}} of the customers in `scope`:
        company (id), partner_ids (a tuple), partner_array (array_literal of
        their ids, for `= ANY(%(partner_array)s::int[])`), partner_count,
        whole_books (many customers: read the company's books whole, hashed,
        rather than by index), date_from (the analysis window's first day)
        and today (the company's). One set-based query for all of them."""
        return {}

    @api.model
    def _derive_figures(self, figures):
        """Compute figures from the others once every source has run:
        `figures` is {partner id: {figure name: value}}, changed in place."""

    def _fetch_by_partner(self, query):
        """{partner id: {column: value}} of a query with a partner_id column."""
        self.env.cr.execute(query)
        return {row.pop("partner_id"): row for row in self.env.cr.dictfetchall()}
