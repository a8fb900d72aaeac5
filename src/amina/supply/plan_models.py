"""Distribution plans, entitlements and distributions (they need ``registry.Household``)."""

__all__: list[str] = []
