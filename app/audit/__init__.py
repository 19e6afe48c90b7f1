"""Audit trust: verifying the record against its hash chain, replaying the views, exporting and
importing the whole log. Works on a Banban application and its views; no Flask here (the
`flask audit` commands in app/cli_audit.py are a thin layer over it)."""
