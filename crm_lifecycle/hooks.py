def uninstall_hook(env):
    """Before Odoo removes the addon's records and tables: what references its
    stages and its activity type goes first, so that the uninstall deletes
    them cleanly (the stages are referenced by the history and by rules a
    consultant wrote, the churn warning by activities)."""
    # Dropped with the addon anyway: the moves, the queue and every rule
    # (consultants' rules have no XML id, and they reference the stages).
    env.cr.execute("DELETE FROM crm_lifecycle_history")
    env.cr.execute("DELETE FROM crm_lifecycle_queue")
    env.cr.execute("DELETE FROM crm_lifecycle_rule")
    env.invalidate_all()
    # Churn warnings stay on the salespeople's lists, as to-dos.
    churn = env.ref(
        "crm_lifecycle.mail_activity_type_churn_warning", raise_if_not_found=False
    )
    if not churn:
        return
    activities = (
        env["mail.activity"]
        .with_context(active_test=False)
        .search([("activity_type_id", "=", churn.id)])
    )
    todo = env.ref("mail.mail_activity_data_todo", raise_if_not_found=False)
    if todo:
        activities.write({"activity_type_id": todo.id})
    else:
        activities.unlink()
