{
    "name": "Customer Lifecycle",
    "summary": "Lifecycle stages that move by rules, stage history, "
    "churn early warning and win-back",
    "version": "18.0.1.0.0",
    "category": "Sales/CRM",
    "author": "Customer Value CRM",
    "license": "LGPL-3",
    "depends": ["crm_value", "crm"],
    "external_dependencies": {"python": []},
    "data": [
        "views/res_partner_views.xml",
        "views/menus.xml",
    ],
    "installable": True,
}
