{
    "name": "Customer Value: a Figure Added in Tests",
    "summary": "Installed in the test database only: adds one figure source to "
    "show that a new figure is declared in one place",
    "version": "18.0.1.0.0",
    "category": "Hidden/Tests",
    "author": "Customer Value CRM",
    "license": "LGPL-3",
    "depends": ["crm_value"],
    "installable": True,
}
