"""Demo flows in plain Python, run from the demo data (demo/*.xml) through
ir.module.module._run_demo_flow: no model of their own in the databases."""
