"""Deadline reminders, daily escalation and returned-report notices: planned, claimed once, delivered per channel."""
