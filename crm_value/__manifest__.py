{
    "name": "Customer Value",
    "summary": "Per-customer profit from the books and stock valuation, "
    "the customer pyramid, RFM and lifetime value",
    "version": "18.0.1.0.0",
    "category": "Sales/CRM",
    "author": "Customer Value CRM",
    "license": "LGPL-3",
    "depends": ["sale_management", "sale_margin", "sale_stock", "stock_account"],
    "external_dependencies": {"python": []},
    "data": [
        "security/crm_value_security.xml",
        "views/res_partner_views.xml",
        "views/menus.xml",
    ],
    "application": True,
    "installable": True,
}
