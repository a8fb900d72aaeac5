"""Use cases of displacement tracking (every write goes through one of these)."""
