"""Assurance (issue 17): whether the work is done, in time and fairly. First piece: the predictor fairness report
(`keepsafe fairness`, docs/assurance.md)."""
