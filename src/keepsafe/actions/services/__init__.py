"""Writes for actions: the reconciler, the sweep, people completing, cancelling and reassigning actions, the recall
workflow and the decisions that satisfy actions, and the email outbox."""
