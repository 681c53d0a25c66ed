"""Demo flows: eighteen months of surveys answered (promoters, passives,
detractors) and complaints received, answered, resolved and closed, each at
its moment (crm_value's demo `replay`); then the survey answered after the
closed demo complaint, and today's value figures with satisfaction and
complaint costs."""

from datetime import datetime, timedelta

from odoo import Command
from odoo.tools import SQL

from odoo.addons.crm_value.demo.demo import moment, recompute, replay

from ..models.crm_care_queue import UNHAPPY_ANSWER

# Unhappy answers older than this were followed up at the time: their alert
# is not scheduled now.
ALERT_DAYS = 14

# customer xml id (crm_value demo): [(days ago, survey, score)]
DEMO_ANSWERS = {
    "demo_customer_jade": [
        (480, "nps", 9),
        (400, "nps", 9),
        (300, "csat", 5),
        (250, "nps", 10),
        (100, "nps", 9),
        (60, "csat", 5),
        (10, "nps", 10),
    ],
    "demo_customer_westlake": [
        (500, "nps", 10),
        (420, "csat", 5),
        (280, "nps", 9),
        (200, "csat", 4),
        (150, "nps", 8),
        (40, "nps", 7),
        (30, "csat", 4),
    ],
    "demo_customer_pearl": [
        (430, "nps", 7),
        (330, "csat", 4),
        (180, "nps", 8),
        (110, "csat", 4),
        (50, "nps", 9),
        (15, "csat", 5),
    ],
    "demo_customer_panda": [
        (470, "nps", 8),
        (380, "csat", 4),
        (290, "nps", 7),
        (230, "csat", 3),
    ],
    "demo_customer_bargain": [(150, "nps", 6), (70, "nps", 3), (60, "csat", 2)],
    "demo_customer_garden": [(90, "csat", 4), (45, "nps", 6)],
    "demo_customer_teehaus": [(40, "nps", 10), (35, "csat", 5)],
}
# (crm_value demo customer, days ago received, category, channel,
#  subject, days to resolve, CSAT answered after it was closed)
DEMO_COMPLAINTS = [
    ("westlake", 510, "delivery", "phone", "Delivery two days late", 3, 5),
    ("panda", 440, "quality", "email", "Tins without a best-before date", 2, 4),
    ("jade", 380, "billing", "email", "Training invoiced twice", 2, 5),
    ("westlake", 320, "quality", "visit", "Broken leaves in two cartons", 8, 3),
    ("pearl", 260, "delivery", "phone", "Rice sent to the wrong warehouse", 2, 4),
    ("panda", 250, "service", "phone", "Nobody answered the phone for a week", 12, 2),
    ("jade", 190, "delivery", "portal", "Pallet without a delivery note", 1, 5),
    ("westlake", 140, "billing", "email", "Discount missing on the invoice", 4, 3),
    ("bargain", 100, "quality", "web", "Rice bags torn", 9, 2),
    ("garden", 55, "service", "email", "The trainer came an hour late", 4, 4),
    ("pearl", 40, "delivery", "phone", "Two bags missing from the delivery", 3, 5),
]  # fmt: skip


def run_demo_history(env):
    """The surveys and complaints of the last eighteen months."""
    ref = env.ref
    company = env.company
    today = company._get_value_today()
    surveys = {kind: ref(f"crm_care.survey_{kind}") for kind in ("nps", "csat")}
    given = []  # the answers of the replay
    events = []
    for key, scores in DEMO_ANSWERS.items():
        customer = ref(f"crm_value.{key}")
        for days_ago, kind, score in scores:
            events.append(
                (
                    moment(company, today - timedelta(days=days_ago), 15),
                    lambda survey=surveys[kind], customer=customer, score=score: (
                        given.append(_answer(survey, customer, score))
                    ),
                )
            )
    for row in DEMO_COMPLAINTS:
        events += _complaint_events(env, today, row, given)
    replay(env, events)
    answers = env["survey.user_input"].union(*given)
    _date_answers_as_given(env, company, answers)
    # The alerts of unhappy answers given long ago were followed up then.
    old = answers.filtered(
        lambda a: (
            a.end_datetime
            and company._get_value_date(a.end_datetime)
            < today - timedelta(days=ALERT_DAYS)
        )
    )
    env["crm.care.queue"].search(
        [
            ("trigger", "=", UNHAPPY_ANSWER),
            ("res_model", "=", "survey.user_input"),
            ("res_id", "in", old.ids),
        ]
    ).unlink()


def run_demo_flows(env):
    """The survey answered after the closed demo complaint, then today's
    figures with the satisfaction and complaint costs above."""
    ref = env.ref
    closed = ref("crm_care.demo_complaint_closed")
    _answer(ref("crm_care.survey_csat"), closed.partner_id, 4, closed)
    company = env.company
    recompute(env, company, env["crm.value.engine"]._get_all_customers(company))


# The knowledge base articles used on complaints (by subject), as Use this
# article records them.
DEMO_ARTICLES_USED = {
    "Delivery two days late": "article_late_delivery",
    "Rice sent to the wrong warehouse": "article_late_delivery",
    "Pallet without a delivery note": "article_missing_items",
    "Two bags missing from the delivery": "article_missing_items",
    "Discount missing on the invoice": "article_invoice_mismatch",
    "Rice bags torn": "article_torn_bags",
    "Wrong tea delivered": "article_damaged_delivery",
    "Salesperson did not call back": "article_no_callback",
}
# article: [(days ago, helpful votes, not helpful votes, deflections)]
DEMO_ARTICLE_FEEDBACK = {
    "article_damaged_delivery": [(100, 3, 1, 2), (40, 2, 0, 3), (10, 1, 0, 1)],
    "article_late_delivery": [(70, 4, 2, 1), (20, 2, 1, 2)],
    "article_invoice_mismatch": [(50, 2, 0, 1), (5, 1, 1, 1)],
    "article_stale_tea": [(30, 1, 2, 0)],
    "article_zh_damaged": [(60, 2, 0, 1), (15, 1, 0, 2)],
    "article_zh_invoice": [(25, 1, 0, 1)],
}


def run_demo_knowledge(env):
    """Knowledge base articles used on the demo complaints, and the
    customers' votes and stops at the published ones over the last months."""
    ref, company = env.ref, env.company
    complaints = env["crm.care.complaint"].search(
        [("subject", "in", list(DEMO_ARTICLES_USED))]
    )
    for complaint in complaints:
        article = ref(f"crm_care.{DEMO_ARTICLES_USED[complaint.subject]}")
        complaint.care_article_ids = [Command.link(article.id)]
    now = datetime.now()
    deflections = []
    for key, rows in DEMO_ARTICLE_FEEDBACK.items():
        article = ref(f"crm_care.{key}")
        for days_ago, helpful, not_helpful, stops in rows:
            for vote in [True] * helpful + [False] * not_helpful:
                article._record_vote(vote)
            deflections += [
                {
                    "article_id": article.id,
                    "company_id": company.id,
                    "channel": "web",
                    "date": now - timedelta(days=days_ago, hours=i),
                }
                for i in range(stops)
            ]
    env["crm.care.article.deflection"].create(deflections)


# The demo flows the demo data runs, by the name it calls them.
DEMO_FLOWS = {
    "run_demo_history": run_demo_history,
    "run_demo_flows": run_demo_flows,
    "run_demo_knowledge": run_demo_knowledge,
}


def _complaint_events(env, today, row, given):
    """The events of a DEMO_COMPLAINTS row: received on its day, answered two
    hours later, resolved after its days, closed two days later and rated
    the day after (the answer added to `given`)."""
    key, days_ago, category, channel, subject, days, csat = row
    ref, company = env.ref, env.company
    customer = ref(f"crm_value.demo_customer_{key}")
    day = today - timedelta(days=days_ago)
    values = {
        "subject": subject,
        "channel": channel,
        "category_id": ref(f"crm_care.complaint_category_{category}").id,
    }
    found = {}

    def receive():
        found["complaint"] = env["crm.care.complaint"].create(
            dict(values, partner_id=customer.id)
        )

    def move(stage_xmlid, **extra):
        found["complaint"].write(
            dict(extra, stage_id=ref(f"crm_care.{stage_xmlid}").id)
        )

    def rate():
        complaint = found["complaint"]
        given.append(_answer(ref("crm_care.survey_csat"), customer, csat, complaint))
        env["mail.activity"].search(
            [
                ("care_event_id.res_model", "=", complaint._name),
                ("care_event_id.res_id", "=", complaint.id),
            ]
        ).action_feedback(feedback="Survey answered.")

    return [
        (moment(company, day, 9), receive),
        (moment(company, day, 11), lambda: move("complaint_stage_in_progress")),
        (
            moment(company, day + timedelta(days=days), 16),
            lambda: move(
                "complaint_stage_resolved",
                resolution="<p>Put right with the customer; cause fixed.</p>",
            ),
        ),
        (
            moment(company, day + timedelta(days=days + 2), 11),
            lambda: move("complaint_stage_closed"),
        ),
        (moment(company, day + timedelta(days=days + 3), 15), rate),
    ]


def _date_answers_as_given(env, company, answers):
    """Created when answered, with the tier the customer had that day (the
    value snapshot current then): the replayed clock sets the answer's
    moment, not its creation or the customer's tier of today."""
    env.flush_all()
    env.cr.execute(
        SQL(
            """
        UPDATE survey_user_input a
           SET create_date = a.end_datetime,
               start_datetime = a.end_datetime,
               care_tier_id = (
                   SELECT s.tier_id FROM crm_value_snapshot s
                    WHERE s.partner_id = a.care_partner_id AND s.company_id = %s
                      AND s.date <= (a.end_datetime AT TIME ZONE 'UTC'
                                     AT TIME ZONE %s)::date
                    ORDER BY s.date DESC LIMIT 1)
         WHERE a.id = ANY(%s) AND a.end_datetime IS NOT NULL
        """,
            company.id,
            company._get_value_tz(),
            answers.ids,
        )
    )
    answers.invalidate_recordset(["create_date", "start_datetime", "care_tier_id"])


def _answer(survey, customer, score, document=None):
    """A completed answer, saved as the survey pages do (superuser)."""
    answer = survey.sudo()._create_answer(
        partner=customer,
        check_attempts=False,
        care_res_model=document._name if document else False,
        care_res_id=document.id if document else False,
    )
    for question in survey.question_ids.filtered(lambda q: q.question_type == "scale"):
        answer._save_lines(question, str(score))
    answer._mark_done()
    return answer
