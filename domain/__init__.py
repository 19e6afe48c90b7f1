"""The business core of banban daiban: aggregates, events, rules and the application service."""
