"""The demo-data generator of the shell: imports every app's ``demo`` module (each
registers its steps with ``amina.lib.demo.step``) and runs them, deterministic by seed.

The registry, the scales and the story's clock are in ``amina.lib.demo``; the foundation's
steps are in ``amina.accounts.demo`` (organisations, users) and ``amina.geo.demo``
(locations).
"""

from __future__ import annotations

from amina.core.discovery import app_modules
from amina.lib import demo


def steps():
    """Every app's demo steps, by order."""
    app_modules("demo")  # each app's demo module registers its steps with @step
    return demo.registered_steps()


def generate(scale: str = "small", seed: int = 2015, progress=None) -> dict:
    """Create the demo data at ``scale``; returns what each step made (counts)."""
    return demo.run_steps(steps(), scale, seed, progress)
