"""crm_care/tools/search_text.py: Chinese as bigrams for PostgreSQL's
full-text search, English untouched (plain Python, no Odoo)."""

import importlib.util

from conftest import ROOT

_spec = importlib.util.spec_from_file_location(
    "crm_care_search_text", ROOT / "crm_care" / "tools" / "search_text.py"
)
search_text = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(search_text)


def test_chinese_runs_become_overlapping_bigrams():
    assert search_text.to_search_text("退货很慢").split() == ["退货", "货很", "很慢"]


def test_english_passes_unchanged_between_chinese():
    assert search_text.to_search_text("Late 发货 again").split() == [
        "Late",
        "发货",
        "again",
    ]


def test_a_lone_character_stays_a_word():
    assert search_text.to_search_text("茶").split() == ["茶"]
    assert search_text.to_search_text("") == ""
    assert search_text.to_search_text(None) == ""


def test_any_words_query_ors_the_words_and_drops_query_syntax():
    assert (
        search_text.to_any_words_query('"cracked" -lid 破损')
        == "cracked or lid or 破损"
    )
    assert search_text.to_any_words_query("this or that") == "this or that"
    assert search_text.to_any_words_query("  ") == ""
