"""crm_value/tools/field_search.py: one method serves the search of many
fields, each naming its key (plain Python, no Odoo)."""

import importlib.util

from conftest import ROOT

_spec = importlib.util.spec_from_file_location(
    "crm_value_field_search", ROOT / "crm_value" / "tools" / "field_search.py"
)
field_search = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(field_search)


class Records:
    """Stands for a recordset: records the searches it is asked."""

    def __init__(self):
        self.asked = []

    def _search_on_column(self, key, operator, value):
        self.asked.append((key, operator, value))
        return [(key, operator, value)]


def test_each_field_hands_its_key_to_the_one_method():
    by_revenue = field_search.search_with("_search_on_column", "revenue")
    by_count = field_search.search_with("_search_on_column", "order_count")
    records = Records()
    assert by_revenue(records, ">=", 300) == [("revenue", ">=", 300)]
    assert by_count(records, "=", 0) == [("order_count", "=", 0)]
    assert records.asked == [("revenue", ">=", 300), ("order_count", "=", 0)]


def test_the_search_is_named_after_its_key():
    assert field_search.search_with("_m", "net_profit").__name__ == "search_net_profit"
