"""CLI commands that live in their own modules (imported only when run)."""
