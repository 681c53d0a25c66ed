"""Reading what users open: the customer list filtered and grouped by tier,
and the customer form, as the web client asks for them (median)."""

import statistics
import time

from lxml import etree

try:
    from . import odoo_env
except ImportError:  # run as a script
    import odoo_env


def measure_reading(database, samples):
    with odoo_env.environment(database) as env:
        env = env(user=env.ref("base.user_admin").id)
        Partner = env["res.partner"]
        views = Partner.get_views([(False, "list"), (False, "form")])["views"]
        list_spec = _specification(Partner, views["list"]["arch"])
        form_spec = _specification(Partner, views["form"]["arch"])
        tiered = [("value_tier_id", "!=", False)]
        top = Partner.search(tiered, limit=1) or Partner.search(
            [("customer_rank", ">", 0)], limit=1
        )
        # The search view's "Platinum & Gold" filter, and one tier picked in
        # the search box (or a group opened): what users filter on.
        top_tiers = [("value_tier_id.code", "in", ("platinum", "gold"))]
        gold = [("value_tier_id", "=", env.ref("crm_value.tier_gold").id)]
        calls = {
            "list_by_tier_ms": lambda: Partner.web_search_read(
                top_tiers, list_spec, limit=80, count_limit=10001
            ),
            "list_one_tier_ms": lambda: Partner.web_search_read(
                gold, list_spec, limit=80, count_limit=10001
            ),
            "group_by_tier_ms": lambda: Partner.web_read_group(
                [("customer_rank", ">", 0)], ["__count"], ["value_tier_id"]
            ),
            "form_ms": lambda: top.web_read(form_spec),
        }
        result = {"form_partner_id": top.id}
        for name, call in calls.items():
            result[name] = _median_ms(env, call, samples)
    return result


def _median_ms(env, call, samples):
    times = []
    for _ in range(samples + 1):
        env.invalidate_all()
        started = time.perf_counter()
        call()
        times.append(time.perf_counter() - started)
    return round(statistics.median(times[1:]) * 1000, 2)


def _specification(model, arch):
    """Top-level fields of a view, as the web client's specification."""
    root = etree.fromstring(arch)
    spec = {}
    for node in root.iter("field"):
        if any(parent.tag == "field" for parent in node.iterancestors()):
            continue
        name = node.get("name")
        field = model._fields.get(name)
        if not field:
            continue
        if field.type == "many2one":
            spec[name] = {"fields": {"display_name": {}}}
        elif field.type in ("one2many", "many2many"):
            spec[name] = {"fields": {"display_name": {}}, "limit": 40}
        else:
            spec[name] = {}
    return spec
