{
    "name": "Customer Care",
    "summary": "Care plans that run themselves, a dedicated service "
    "representative per customer, satisfaction surveys and complaints",
    "version": "18.0.1.0.0",
    "category": "Sales/CRM",
    "author": "Customer Value CRM",
    "license": "LGPL-3",
    "depends": ["crm_lifecycle", "survey"],
    "external_dependencies": {"python": []},
    "data": [
        "views/mail_activity_views.xml",
        "views/menus.xml",
    ],
    "installable": True,
}
