"""Pages of displacement tracking (thin: they parse input, call queries or services, render)."""
