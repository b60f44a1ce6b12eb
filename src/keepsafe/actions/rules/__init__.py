"""Safety actions as pure functions: which actions a case's facts call for, when they fall due, who is reminded and
when they escalate. No Django here (import-linter enforces it); the reconciler in actions/services.py applies them."""
