"""Build-time tools for the indicator scanner: the synthetic training corpus and the classifier's training.

Nothing here runs when a record is scanned; the scanner reads only the trained weights
(`records/rules/indicator_model.json`). `keepsafe indicator-train` rebuilds both (docs/indicators.md).
"""
