"""The checks of scripts/upgrade_test.sh: what a company's database holds at
the first release, and the same database after `-u` at main.

    upgrade_check.py --config C -d DB seed          (at the first release)
    upgrade_check.py --config C -d DB record FILE   (at the first release)
    upgrade_check.py --config C -d DB compare FILE  (after the update)

`seed` adds what the release could hold that its demo does not: a second
current snapshot for two customers (as a recompute dated by a user's time
zone left), a consultant's rule reading `company.lifecycle_loyal_order_count`,
and moves whose reasons a Chinese user's evaluation wrote in Chinese.
`record` writes counts, rows and figures as JSON; `compare` reads them back,
checks the updated database against them, then runs the value recompute the
update queued and checks the figures that must not change. It prints each
difference and exits 1 when there is one.
"""

import argparse
import json
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
import odoo_env  # noqa: E402

# (label, query): counted before and after the update, which adds or removes
# none of these (what it adds, the recompute queue, is checked on its own).
COUNTS = [
    (
        "partners with a tier",
        "SELECT count(*) FROM res_partner WHERE value_tier_id IS NOT NULL",
    ),
    (
        "partners with a lifecycle stage",
        "SELECT count(*) FROM res_partner WHERE lifecycle_stage_id IS NOT NULL",
    ),
    ("snapshots", "SELECT count(*) FROM crm_value_snapshot"),
    (
        "customers with a current snapshot",
        "SELECT count(DISTINCT (partner_id, company_id)) FROM crm_value_snapshot "
        "WHERE is_current",
    ),
    ("tiers", "SELECT count(*) FROM crm_value_tier"),
    ("RFM segments", "SELECT count(*) FROM crm_value_rfm_segment"),
    ("lifecycle stages", "SELECT count(*) FROM crm_lifecycle_stage"),
    ("lifecycle rules", "SELECT count(*) FROM crm_lifecycle_rule"),
    ("lifecycle history rows", "SELECT count(*) FROM crm_lifecycle_history"),
    ("care plans", "SELECT count(*) FROM mail_activity_plan"),
    ("care plan steps", "SELECT count(*) FROM mail_activity_plan_template"),
    ("care events", "SELECT count(*) FROM crm_care_event"),
    ("care teams", "SELECT count(*) FROM crm_care_team"),
    ("complaints", "SELECT count(*) FROM crm_care_complaint"),
    ("survey answers", "SELECT count(*) FROM survey_user_input"),
    ("survey answer lines", "SELECT count(*) FROM survey_user_input_line"),
    ("activities", "SELECT count(*) FROM mail_activity"),
    (
        "posted customer invoices",
        "SELECT count(*) FROM account_move WHERE state = 'posted' "
        "AND move_type IN ('out_invoice', 'out_refund')",
    ),
    ("confirmed sales orders", "SELECT count(*) FROM sale_order WHERE state = 'sale'"),
]
# Counts of shipped configuration: a later version may ship more of it (a new
# care plan is data), so the records its addons' XML ids bring in by the update
# are counted apart: {label: model}.
SHIPPED = {
    "tiers": "crm.value.tier",
    "RFM segments": "crm.value.rfm.segment",
    "lifecycle stages": "crm.lifecycle.stage",
    "lifecycle rules": "crm.lifecycle.rule",
    "care plans": "mail.activity.plan",
    "care plan steps": "mail.activity.plan.template",
}
ADDONS = ("crm_value", "crm_lifecycle", "crm_care")
# Reasons worded anew for the reader (issue 19): {as the release wrote it: now}.
REWORDED = {"No order for 0 days": "Ordered that day"}
# A customer's invoiced revenue does not change by the update nor by the
# matching principle (costs are matched to it, not it to them).
REVENUE_COLUMNS = ("revenue", "lifetime_revenue")
SAMPLE_SIZE = 10
CJK = re.compile(r"[\u4e00-\u9fff]")
SETTING = re.compile(r"\bcompany\.lifecycle_(\w+)")
CONSULTANT_RULE = "Upgrade test: a consultant's rule"
CONSULTANT_DOMAIN = (
    "[('lifecycle_order_count', '>=', company.lifecycle_loyal_order_count * 2)]"
)


def _rows(cr, query, *args):
    cr.execute(query, args)
    return cr.fetchall()


def _columns(cr, table):
    return [
        name
        for (name,) in _rows(
            cr,
            "SELECT column_name FROM information_schema.columns "
            "WHERE table_name = %s ORDER BY column_name",
            table,
        )
    ]


def _number(value):
    return None if value is None else float(value)


def seed(env):
    """What the release could hold beyond its demo (see the module doc)."""
    from odoo.tools.translate import code_translations

    cr = env.cr
    cr.execute(
        """
        INSERT INTO crm_value_snapshot (partner_id, company_id, date, is_current,
                                        revenue, net_profit)
        SELECT partner_id, company_id, date - 1, TRUE, revenue, net_profit
          FROM crm_value_snapshot s
         WHERE is_current AND NOT EXISTS (
               SELECT 1 FROM crm_value_snapshot t
                WHERE (t.partner_id, t.company_id, t.date)
                    = (s.partner_id, s.company_id, s.date - 1))
         ORDER BY partner_id LIMIT 2
        """
    )
    if cr.rowcount != 2:
        raise SystemExit("seed: the release's demo has no two current snapshots")
    rule = env.ref("crm_lifecycle.rule_loyal")
    rule.copy({"name": CONSULTANT_RULE, "domain": CONSULTANT_DOMAIN, "sequence": 41})
    english = "First evaluation: every customer starts here."
    chinese = code_translations.get_python_translations("crm_lifecycle", "zh_CN").get(
        english
    )
    if not chinese:
        raise SystemExit("seed: no Chinese translation loaded in the release")
    cr.execute(
        """
        UPDATE crm_lifecycle_history SET reason = %s
         WHERE id IN (SELECT id FROM crm_lifecycle_history WHERE reason = %s
                       ORDER BY id LIMIT 3)
        """,
        (chinese, english),
    )
    if cr.rowcount != 3:
        raise SystemExit("seed: the release's demo has no three first evaluations")
    sys.stdout.write("seed: 2 current snapshots doubled, 1 rule, 3 Chinese reasons\n")


def record(env):
    cr = env.cr
    snapshot_columns = [
        c for c in _columns(cr, "crm_value_snapshot") if c not in ("is_current",)
    ]
    current = _rows(
        cr,
        """
        SELECT DISTINCT ON (partner_id, company_id) partner_id, company_id, id
          FROM crm_value_snapshot WHERE is_current
         ORDER BY partner_id, company_id, date DESC, id DESC
        """,
    )
    sample = _rows(
        cr,
        f"""
        SELECT partner_id, company_id, {", ".join(REVENUE_COLUMNS)}
          FROM crm_value_snapshot WHERE is_current AND lifetime_revenue <> 0
         ORDER BY partner_id, company_id, date DESC LIMIT %s
        """,
        SAMPLE_SIZE,
    )
    module = sys.modules["odoo.addons.crm_value"]
    return {
        "addons_path": str(Path(module.__file__).resolve().parents[1]),
        "versions": dict(
            _rows(
                cr,
                "SELECT name, latest_version FROM ir_module_module "
                "WHERE name IN ('crm_value', 'crm_lifecycle', 'crm_care')",
            )
        ),
        "counts": {label: _rows(cr, query)[0][0] for label, query in COUNTS},
        "shipped": {label: _shipped_ids(cr, model) for label, model in SHIPPED.items()},
        "snapshot_columns": snapshot_columns,
        "snapshots": {
            str(row[0]): [str(v) if v is not None else None for v in row[1:]]
            for row in _rows(
                cr,
                f"SELECT id, {', '.join(snapshot_columns)} FROM crm_value_snapshot",
            )
        },
        "newest_current": {f"{p},{c}": sid for p, c, sid in current},
        "sample": [[p, c, *(_number(v) for v in figures)] for p, c, *figures in sample],
        "tiers": dict(
            _rows(
                cr,
                "SELECT id::text, value_tier_id FROM res_partner "
                "WHERE value_tier_id IS NOT NULL",
            )
        ),
        "stages": dict(
            _rows(
                cr,
                "SELECT id::text, lifecycle_stage_id FROM res_partner "
                "WHERE lifecycle_stage_id IS NOT NULL",
            )
        ),
        "rules": dict(_rows(cr, "SELECT id::text, domain FROM crm_lifecycle_rule")),
        "reasons": dict(
            _rows(cr, "SELECT id::text, reason FROM crm_lifecycle_history")
        ),
        "plans": dict(_rows(cr, "SELECT id::text, name FROM mail_activity_plan")),
        "plan_stages": dict(
            _rows(
                cr,
                "SELECT id::text, care_stage_code FROM mail_activity_plan "
                "WHERE care_stage_code IS NOT NULL",
            )
        ),
    }


class Comparison:
    def __init__(self):
        self.differences = []
        self.checks = 0

    def check(self, ok, what):
        self.checks += 1
        if not ok:
            self.differences.append(what)


def _shipped_ids(cr, model):
    """The ids of `model`'s records that the addons' XML data made."""
    return sorted(
        row[0]
        for row in _rows(
            cr,
            "SELECT res_id FROM ir_model_data WHERE model = %s AND module IN %s",
            model,
            ADDONS,
        )
    )


def _compare_counts(env, before, result):
    """Nothing lost nor made up by the update; shipped configuration may grow
    by the new version's data only."""
    for label, query in COUNTS:
        was, now = before["counts"][label], _rows(env.cr, query)[0][0]
        new = 0
        if label in SHIPPED:
            new = len(
                set(_shipped_ids(env.cr, SHIPPED[label]))
                - set(before["shipped"][label])
            )
        result.check(
            was + new == now,
            f"{label}: {was} before, {now} after ({new} new shipped)",
        )


def _compare_snapshots(env, before, result):
    cr = env.cr
    columns = before["snapshot_columns"]
    after = {
        str(row[0]): [str(v) if v is not None else None for v in row[1:]]
        for row in _rows(cr, f"SELECT id, {', '.join(columns)} FROM crm_value_snapshot")
    }
    changed = sorted(
        (sid for sid, row in before["snapshots"].items() if after.get(sid) != row),
        key=int,
    )
    result.check(
        not changed,
        f"snapshots whose stored figures changed: {changed[:10]} (of {len(changed)})",
    )
    doubled = _rows(
        cr,
        """
        SELECT partner_id, company_id, count(*) FROM crm_value_snapshot
         WHERE is_current GROUP BY partner_id, company_id HAVING count(*) > 1
        """,
    )
    result.check(not doubled, f"customers with two current snapshots: {doubled}")
    current = {
        f"{p},{c}": sid
        for p, c, sid in _rows(
            cr,
            "SELECT partner_id, company_id, id FROM crm_value_snapshot WHERE is_current",
        )
    }
    result.check(
        current == before["newest_current"],
        "current snapshots are not the newest of before: "
        f"{sorted(set(current.items()) ^ set(before['newest_current'].items()))[:10]}",
    )
    result.check(
        bool(
            _rows(
                cr,
                "SELECT 1 FROM pg_indexes WHERE indexname = %s",
                "crm_value_snapshot_one_current_uniq",
            )
        ),
        "no unique index of current snapshots",
    )
    result.check(
        bool(
            _rows(
                cr,
                "SELECT 1 FROM pg_indexes WHERE indexname = %s",
                "crm_value_tier_code_scope_uniq",
            )
        ),
        "no unique index of tier codes",
    )


def _compare_partners(env, before, result):
    for field, key in (("value_tier_id", "tiers"), ("lifecycle_stage_id", "stages")):
        after = dict(
            _rows(
                env.cr,
                f"SELECT id::text, {field} FROM res_partner WHERE {field} IS NOT NULL",
            )
        )
        changed = sorted(
            set(after) ^ set(before[key])
            | {pid for pid in after if after[pid] != before[key].get(pid)},
            key=int,
        )
        result.check(not changed, f"partners whose {field} changed: {changed[:10]}")


def _compare_rules(env, before, result):
    rules = env["crm.lifecycle.rule"].with_context(active_test=False).search([])
    for rule in rules:
        was = before["rules"].get(str(rule.id))
        expected = SETTING.sub(r"\1", was) if was else was
        result.check(
            rule.domain == expected,
            f"rule {rule.id} {rule.name!r}: {rule.domain!r}, expected {expected!r}",
        )
        result.check(
            "company" not in (rule.domain or ""), f"rule {rule.id} reads company"
        )
        problem = rule.with_company(rule.company_id or env.company)._get_problem()
        result.check(not problem, f"rule {rule.id} {rule.name!r}: {problem}")
    consultant = rules.filtered(lambda r: r.name == CONSULTANT_RULE)
    result.check(
        consultant.domain == "[('lifecycle_order_count', '>=', loyal_order_count * 2)]",
        f"the consultant's rule reads {consultant.domain!r}",
    )


def _compare_reasons(env, before, result):
    History = env["crm.lifecycle.history"]
    moves = History.browse([int(i) for i in before["reasons"]]).exists()
    english = {m.id: m.reason for m in moves.with_context(lang="en_US")}
    chinese = {m.id: m.reason for m in moves.with_context(lang="zh_CN")}
    for move in moves:
        was = before["reasons"][str(move.id)] or False
        en, zh = english[move.id] or False, chinese[move.id] or False
        if CJK.search(was or ""):  # written in Chinese by the release
            result.check(zh == was, f"move {move.id}: {was!r} reads {zh!r} in zh_CN")
            result.check(not CJK.search(en or "x"), f"move {move.id}: {en!r} in en_US")
            continue
        first, sep, rest = (was or "").partition(";")
        expected = REWORDED.get(first, first) + sep + rest if was else was
        result.check(en == expected, f"move {move.id}: {was!r} reads {en!r} in en_US")
        if move.reason_code:
            result.check(bool(CJK.search(zh or "")), f"move {move.id}: {zh!r} in zh_CN")
    result.check(len(moves) == len(before["reasons"]), "moves lost")
    result.check(
        any(m.reason_code == "first_evaluation" for m in moves),
        "no text reason became a first evaluation",
    )


def _compare_plans(env, before, result):
    plans = env["mail.activity.plan"].with_context(active_test=False)
    for plan_id, was in before["plans"].items():
        plan = plans.browse(int(plan_id))
        en = plan.with_context(lang="en_US").name
        zh = plan.with_context(lang="zh_CN").name
        result.check(en == was, f"plan {plan_id}: {was!r} reads {en!r} in en_US")
        if env["ir.model.data"].search_count(
            [
                ("model", "=", "mail.activity.plan"),
                ("res_id", "=", plan.id),
                ("module", "=", "crm_care"),
            ]
        ):
            result.check(bool(CJK.search(zh or "")), f"plan {plan_id}: {zh!r} in zh_CN")


def _compare_plan_stages(env, before, result):
    """A plan that starts on entering a stage still starts on that stage
    (named by its code at the release, by the stage itself since)."""
    plans = env["mail.activity.plan"].with_context(active_test=False)
    for plan_id, code in before["plan_stages"].items():
        plan = plans.browse(int(plan_id))
        if "care_stage_id" in plan._fields:
            now = plan.care_stage_id.code
        else:
            now = plan.care_stage_code
        result.check(now == code, f"plan {plan_id} starts on {now!r}, not {code!r}")


def _compare_queue(env, before, result):
    queued = set(
        _rows(env.cr, "SELECT DISTINCT partner_id, company_id FROM crm_value_queue")
    )
    current = {tuple(map(int, key.split(","))) for key in before["newest_current"]}
    missing = sorted(current - queued)
    result.check(
        not missing,
        f"customers not queued for the value recompute: {missing[:10]}",
    )


def _compare_figures_after_recompute(env, before, result):
    env["crm.value.engine"]._cron_recompute_value()
    env.cr.commit()
    result.check(
        not _rows(env.cr, "SELECT 1 FROM crm_value_queue LIMIT 1"),
        "the value queue is not empty after the recompute",
    )
    for partner_id, company_id, *was in before["sample"]:
        row = _rows(
            env.cr,
            f"SELECT {', '.join(REVENUE_COLUMNS)}, pending_cost, to_invoice "
            "FROM crm_value_snapshot WHERE is_current AND partner_id = %s "
            "AND company_id = %s",
            partner_id,
            company_id,
        )
        now = [_number(v) for v in row[0]] if row else None
        same = now and all(
            abs(a - b) < 0.005 for a, b in zip(was, now[: len(was)], strict=True)
        )
        result.check(
            same,
            f"customer {partner_id} of company {company_id}: "
            f"{dict(zip(REVENUE_COLUMNS, was, strict=True))} before, "
            f"{now} (revenue, lifetime revenue, pending cost, to invoice) after",
        )
        result.check(
            bool(now) and None not in now[len(was) :],
            f"customer {partner_id}: no pending cost or to-invoice figure",
        )


def compare(env, before):
    result = Comparison()
    result.check(
        before["versions"]
        == {name: "18.0.1.0.0" for name in ("crm_value", "crm_lifecycle", "crm_care")},
        f"the release's versions were {before['versions']}",
    )
    for step in (
        _compare_counts,
        _compare_snapshots,
        _compare_partners,
        _compare_rules,
        _compare_reasons,
        _compare_plans,
        _compare_plan_stages,
        _compare_queue,
        _compare_figures_after_recompute,
    ):
        step(env, before, result)
    return result


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    odoo_env.add_common_arguments(parser)
    parser.add_argument("step", choices=("seed", "record", "compare"))
    parser.add_argument("file", nargs="?")
    args = parser.parse_args(argv)
    odoo_env.setup(args.config)
    with odoo_env.environment(args.database, commit=True) as env:
        if args.step == "seed":
            seed(env)
        elif args.step == "record":
            Path(args.file).write_text(json.dumps(record(env), indent=1, default=str))
        else:
            before = json.loads(Path(args.file).read_text())
            result = compare(env, before)
            counts = ", ".join(f"{k} {v}" for k, v in before["counts"].items())
            sys.stdout.write(f"upgrade: counted before and after: {counts}\n")
            sys.stdout.write(
                f"upgrade: revenue of {len(before['sample'])} customers compared "
                "after the recompute\n"
            )
            for difference in result.differences:
                sys.stdout.write(f"upgrade: DIFFERS: {difference}\n")
            sys.stdout.write(
                f"upgrade: {result.checks} checks, "
                f"{len(result.differences)} differences\n"
            )
            return 1 if result.differences else 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
