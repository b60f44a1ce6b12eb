"""Assurance measures as pure functions over plain values. No Django here (import-linter enforces it)."""
