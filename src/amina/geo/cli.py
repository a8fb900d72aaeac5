from pathlib import Path

from amina.geo.services import import_boundaries
from amina.lib.commands import SubCommand


def _args(parser):
    parser.add_argument("file", type=Path, help="OCHA COD-AB GeoJSON, admin 1 or admin 2")


def _run(options, stdout):
    counts = import_boundaries(None, options["file"])
    return (
        f"imported boundaries: {counts['governorate']} governorates, {counts['district']} districts"
    )


IMPORTS = {
    "boundaries": SubCommand("official admin boundaries (OCHA COD GeoJSON)", _args, _run),
}
