"""The security groups of the three addons, named once (their records are in
crm_value/security/crm_value_security.xml)."""

# Sees amounts and edits what the engines compute.
MANAGER = "crm_value.group_crm_value_manager"
# Sees tiers, stages and care, never amounts.
USER = "crm_value.group_crm_value_user"
# Every employee: what shows on contacts and orders.
INTERNAL = "base.group_user"
