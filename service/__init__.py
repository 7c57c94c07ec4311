"""The reference service: hand-written code behind the generated server (SQLite store, bearer auth, serve)."""
