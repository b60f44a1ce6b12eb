pytest_plugins = ["keepsafe.testing.fixtures"]
