"""Access-matrix samples of the core pages: none take arguments (home, healthz)."""

ACCESS_SAMPLES: dict = {}
