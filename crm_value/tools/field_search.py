"""Field searches handed to one model method (no Odoo import: plain functions)."""


def search_with(method_name, key):
    """A field's `search=` function that calls
    ``records.<method_name>(key, operator, value)``: one method searches many
    fields (the figures of the current snapshot, the lifecycle facts), each
    field naming its column or fact by `key`."""

    def search(records, operator, value):
        return getattr(records, method_name)(key, operator, value)

    search.__name__ = f"search_{key}"
    return search
