{
    "name": "Customer Value: Mailing Lists of Segments",
    "summary": "A saved customer segment becomes a mailing list kept in sync, "
    "so that a campaign reaches exactly the segment",
    "version": "18.0.1.0.0",
    "category": "Marketing/Email Marketing",
    "author": "Customer Value CRM",
    "license": "LGPL-3",
    "website": "https://github.com/customer-value-crm/crm-customer-value",
    "development_status": "Beta",
    "depends": ["crm_value", "mass_mailing"],
    "data": [
        "data/ir_cron_data.xml",
        "views/crm_value_segment_views.xml",
    ],
    "auto_install": True,
    "installable": True,
}
