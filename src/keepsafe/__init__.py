"""Keepsafe: case and risk management for probation services."""
