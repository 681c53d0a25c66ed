from odoo.tools.safe_eval import safe_eval


def open_action(env, xmlid, user):
    """Open a window action as `user` the way the web client does.

    Reads the action, loads its views and searches its first page, so any missing
    access right on the way raises AccessError. Returns the records found.
    """
    env = env(user=user)
    action = env["ir.actions.actions"]._for_xml_id(xmlid)
    model = env[action["res_model"]]
    eval_context = {"uid": user.id, "context_today": lambda: None}
    context = dict(safe_eval(action.get("context") or "{}", eval_context))
    model = model.with_context(**context)
    views = [(False, mode) for mode in action["view_mode"].split(",")]
    model.get_views([*views, (False, "search")])
    domain = safe_eval(action.get("domain") or "[]", eval_context)
    result = model.web_search_read(domain, {"display_name": {}}, limit=80)
    return model.browse([row["id"] for row in result["records"]])
