"""Shipped plans a company renamed keep their own name in every language.

Plan names and step summaries became translatable (18.0.1.2.0): the column
became {"en_US": the company's text}, then Odoo loaded the shipped
translations by record, whatever the English says now, so a plan renamed
"Welcome visit by our rep" read 欢迎电话 (the shipped "Welcome call") in
Chinese. End of the update, after the translations are loaded: a shipped
translation whose English is not the record's any more is removed (the
record reads its own English in that language, as before the update); a
translation somebody wrote stays."""

import logging
from pathlib import Path

import polib

from odoo.tools import SQL

_logger = logging.getLogger(__name__)

# Translatable as a whole (not by terms) since 18.0.1.2.0.
FIELDS = {
    ("mail.activity.plan", "name"): "mail_activity_plan",
    ("mail.activity.plan.template", "summary"): "mail_activity_plan_template",
}
I18N = Path(__file__).resolve().parents[2] / "i18n"


def shipped_translations():
    """[(table, column, xml id name, English, language, translation)] of the
    addon's .po files, for the fields above."""
    found = []
    for po_file in sorted(I18N.glob("*.po")):
        lang = po_file.stem
        for entry in polib.pofile(str(po_file)):
            if not entry.msgstr:
                continue
            for where, _line in entry.occurrences:
                kind, _sep, rest = where.partition(":")
                model_field, _sep, xmlid = rest.partition(":")
                model, _sep, field = model_field.partition(",")
                table = FIELDS.get((model, field))
                module, _sep, name = xmlid.partition(".")
                if kind == "model" and table and module == "crm_care":
                    found.append((table, field, name, entry.msgid, lang, entry.msgstr))
    return found


def forget_stale_translations(cr):
    """Remove, from the shipped records, each shipped translation whose
    English differs from the record's English. Returns how many."""
    removed = 0
    for table, column, name, english, lang, translation in shipped_translations():
        cr.execute(
            SQL(
                """
            UPDATE %(table)s t SET %(column)s = t.%(column)s - %(lang)s
              FROM ir_model_data d
             WHERE d.module = 'crm_care' AND d.name = %(name)s
               AND d.res_id = t.id
               AND t.%(column)s->>'en_US' <> %(english)s
               AND t.%(column)s->>%(lang)s = %(translation)s
            """,
                table=SQL.identifier(table),
                column=SQL.identifier(column),
                lang=lang,
                name=name,
                english=english,
                translation=translation,
            )
        )
        removed += cr.rowcount
    return removed


def migrate(cr, version):
    removed = forget_stale_translations(cr)
    if removed:
        _logger.info(
            "crm_care: %s shipped translations of renamed plans and steps removed",
            removed,
        )
