"""The reasons stored as text (pre-migrate kept them as `reason_note`) that the
engine wrote itself, in English or Chinese, become their code and facts, so
that they too are written in the reader's language; any other text stays as
it was written."""

import re

CODES = {
    "first_evaluation": (
        "First evaluation: every customer starts here.",
        "首次评估：每个客户都从这里开始。",
    ),
    "manual": ("Moved by hand", "手工变动"),
}
NO_ORDER_YET = ("No order yet", "尚未下单")
# "No order for 95 days; usual interval 30 days; P(alive) 0.31", in English
# or in Chinese ("95 天未下单; 平时间隔 30 天; P(存活) 0.31").
DAYS = re.compile(r"^(?:No order for (\d+) days|(\d+) 天未下单)$")
INTERVAL = re.compile(r"^(?:usual interval (\d+) days|平时间隔 (\d+) 天)$")
P_ALIVE = re.compile(r"^P\((?:alive|存活)\) ([0-9.]+)$")


def _parse(text):
    """{column: value} of a reason the engine wrote, or None."""
    parts = [part.strip() for part in text.split(";")]
    facts = {"reason_code": "rule"}
    first = parts.pop(0)
    days = DAYS.match(first)
    if days:
        facts["days_since_order"] = int(days.group(1) or days.group(2))
    elif first not in NO_ORDER_YET:
        return None
    for part in parts:
        interval, p_alive = INTERVAL.match(part), P_ALIVE.match(part)
        if interval:
            facts["order_interval"] = float(interval.group(1) or interval.group(2))
        elif p_alive:
            facts["p_alive"] = float(p_alive.group(1))
        else:
            return None
    return facts


def migrate(cr, version):
    for code, texts in CODES.items():
        cr.execute(
            """
            UPDATE crm_lifecycle_history SET reason_code = %s, reason_note = NULL
             WHERE reason_code IS NULL AND reason_note IN %s
            """,
            (code, texts),
        )
    cr.execute(
        """
        SELECT id, reason_note FROM crm_lifecycle_history
         WHERE reason_code IS NULL AND reason_note IS NOT NULL
        """
    )
    for history_id, text in cr.fetchall():
        facts = _parse(text)
        if not facts:
            continue
        cr.execute(
            """
            UPDATE crm_lifecycle_history
               SET reason_code = %(reason_code)s, reason_note = NULL,
                   days_since_order = %(days)s, order_interval = %(interval)s,
                   p_alive = %(p_alive)s,
                   last_order_date = CASE WHEN %(days)s IS NOT NULL
                       THEN date::date - %(days)s::int END
             WHERE id = %(id)s
            """,
            {
                "id": history_id,
                "reason_code": facts["reason_code"],
                "days": facts.get("days_since_order"),
                "interval": facts.get("order_interval"),
                "p_alive": facts.get("p_alive"),
            },
        )
