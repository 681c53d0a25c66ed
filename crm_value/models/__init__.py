from . import (
    account_move,
    crm_value_engine,
    crm_value_queue,
    crm_value_snapshot,
    crm_value_tier,
    mail_activity_type,
    res_company,
    res_config_settings,
    res_partner,
    sale_order,
    stock_picking,
)
