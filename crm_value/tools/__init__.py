"""Plain Python helpers of the models, each with its own tests."""
