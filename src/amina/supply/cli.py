"""``amina export stock|distributions --format csv|xlsx|hxl|geojson``."""

from __future__ import annotations

from amina.lib.commands import SubCommand


def _no_args(parser):
    pass


def _check_format(options) -> str:
    return options["format"]


def _stock(options, stdout) -> bytes:
    from amina.supply.exports import export_stock as run

    return run(None, _check_format(options), options["governorate"])


def _distributions(options, stdout) -> bytes:
    from amina.supply.exports import export_distributions as run

    fmt = _check_format(options)
    if not options.get("purpose", "").strip():
        raise ValueError("exporting distributions needs --purpose (it is logged)")
    return run(
        None, fmt, purpose=options["purpose"], governorates=options["governorate"], channel="cli"
    )


def export_stock(user, fmt: str) -> bytes:
    from amina.supply.exports import export_stock as run

    return run(user, fmt)


def export_distributions(user, fmt: str, *, purpose: str) -> bytes:
    from amina.supply.exports import export_distributions as run

    return run(user, fmt, purpose=purpose)


EXPORTS = {
    "stock": SubCommand("stock on hand and in transit per warehouse and item", _no_args, _stock),
    "distributions": SubCommand(
        "distributions per household (--purpose required, logged; GeoJSON: totals per "
        "location and item)",
        _no_args,
        _distributions,
    ),
}
