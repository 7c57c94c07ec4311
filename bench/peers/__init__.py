"""The peers a user would pick instead of the generated server, run from their own venv (``.bench-venv/``)."""
