#!/usr/bin/env bash
# Re-vendor the front-end assets under src/amina/static/vendor/ and rebuild
# src/amina/static/geo/iraq-outline.geojson.
#
# Developers run this ONLY when upgrading a vendored package. Users and CI never
# run it: the built files are committed, so the site needs neither Node nor a
# CDN at run time.
#
# Needs: bash, node + npm (the npm registry). Everything is installed into a
# throw-away directory outside the repository; nothing lands in node_modules
# inside the repo.
#
# To upgrade: change a pinned version below, run the script, review the diff,
# and update src/amina/static/vendor/README.md (versions, licences) to match.
#
# Environment:
#   VENDOR_BUILD_DIR=/some/dir  build there instead of a fresh mktemp dir
#                               (kept afterwards; the mktemp dir is removed)
set -euo pipefail

# ---- pinned versions (exact) -------------------------------------------------
BOOTSTRAP_VERSION="5.3.9"
HTMX_VERSION="2.0.11"          # htmx 2.x on purpose: not 1.x, not 4.x
LEAFLET_VERSION="1.9.4"
CHARTJS_VERSION="4.6.1"
WORLD_ATLAS_VERSION="2.0.2"     # build-time only (Natural Earth data)
TOPOJSON_CLIENT_VERSION="3.1.0" # build-time only (TopoJSON -> GeoJSON)

# ---- paths -------------------------------------------------------------------
SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$SCRIPT_DIR/.." && pwd)"
STATIC_DIR="$REPO_ROOT/src/amina/static"
VENDOR_DIR="$STATIC_DIR/vendor"
GEO_DIR="$STATIC_DIR/geo"

if [[ -n "${VENDOR_BUILD_DIR:-}" ]]; then
    BUILD_DIR="$VENDOR_BUILD_DIR"
    mkdir -p "$BUILD_DIR"
else
    BUILD_DIR="$(mktemp -d "${TMPDIR:-/tmp}/vendor-build.XXXXXX")"
    trap 'rm -rf "$BUILD_DIR"' EXIT
fi
case "$BUILD_DIR" in
    "$REPO_ROOT"|"$REPO_ROOT"/*)
        echo "error: build dir must be outside the repository: $BUILD_DIR" >&2
        exit 1 ;;
esac

command -v node >/dev/null || { echo "error: node is required" >&2; exit 1; }
command -v npm  >/dev/null || { echo "error: npm is required" >&2; exit 1; }

# ---- install into the temp dir ----------------------------------------------
echo "==> npm install into $BUILD_DIR"
cd "$BUILD_DIR"
cat > package.json <<'EOF'
{ "name": "amina-vendor-build", "version": "0.0.0", "private": true }
EOF
npm install --no-audit --no-fund --ignore-scripts --save-exact \
    "bootstrap@$BOOTSTRAP_VERSION" \
    "htmx.org@$HTMX_VERSION" \
    "leaflet@$LEAFLET_VERSION" \
    "chart.js@$CHARTJS_VERSION" \
    "world-atlas@$WORLD_ATLAS_VERSION" \
    "topojson-client@$TOPOJSON_CLIENT_VERSION"

NM="$BUILD_DIR/node_modules"

check_version() {  # check_version <package> <expected>
    local got
    got="$(node -p "require('$NM/$1/package.json').version")"
    if [[ "$got" != "$2" ]]; then
        echo "error: $1 installed $got, expected $2" >&2
        exit 1
    fi
}
check_version bootstrap "$BOOTSTRAP_VERSION"
check_version htmx.org "$HTMX_VERSION"
check_version leaflet "$LEAFLET_VERSION"
check_version chart.js "$CHARTJS_VERSION"
check_version world-atlas "$WORLD_ATLAS_VERSION"
check_version topojson-client "$TOPOJSON_CLIENT_VERSION"

# ---- copy the built files ----------------------------------------------------
echo "==> copying into $VENDOR_DIR"
mkdir -p "$VENDOR_DIR"
rm -rf "$VENDOR_DIR/bootstrap" "$VENDOR_DIR/htmx" "$VENDOR_DIR/leaflet" "$VENDOR_DIR/chartjs"

# Bootstrap (the bundle includes Popper, whose licence is copied too)
mkdir -p "$VENDOR_DIR/bootstrap/css" "$VENDOR_DIR/bootstrap/js"
for f in bootstrap.min.css bootstrap.min.css.map bootstrap.rtl.min.css bootstrap.rtl.min.css.map; do
    cp "$NM/bootstrap/dist/css/$f" "$VENDOR_DIR/bootstrap/css/"
done
for f in bootstrap.bundle.min.js bootstrap.bundle.min.js.map; do
    cp "$NM/bootstrap/dist/js/$f" "$VENDOR_DIR/bootstrap/js/"
done
cp "$NM/bootstrap/LICENSE" "$VENDOR_DIR/bootstrap/LICENSE"
cp "$NM/@popperjs/core/LICENSE.md" "$VENDOR_DIR/bootstrap/LICENSE-popper.md"

# htmx (the npm package ships no source map for htmx.min.js; copy one if it ever does)
mkdir -p "$VENDOR_DIR/htmx"
cp "$NM/htmx.org/dist/htmx.min.js" "$VENDOR_DIR/htmx/"
if [[ -f "$NM/htmx.org/dist/htmx.min.js.map" ]]; then
    cp "$NM/htmx.org/dist/htmx.min.js.map" "$VENDOR_DIR/htmx/"
fi
cp "$NM/htmx.org/LICENSE" "$VENDOR_DIR/htmx/LICENSE"

# Leaflet (leaflet.css refers to images/ by relative url())
mkdir -p "$VENDOR_DIR/leaflet"
cp "$NM/leaflet/dist/leaflet.js" "$NM/leaflet/dist/leaflet.js.map" \
   "$NM/leaflet/dist/leaflet.css" "$VENDOR_DIR/leaflet/"
cp -R "$NM/leaflet/dist/images" "$VENDOR_DIR/leaflet/images"
cp "$NM/leaflet/LICENSE" "$VENDOR_DIR/leaflet/LICENSE"

# Chart.js (the UMD build bundles @kurkle/color, whose licence is copied too)
mkdir -p "$VENDOR_DIR/chartjs"
cp "$NM/chart.js/dist/chart.umd.min.js" "$NM/chart.js/dist/chart.umd.min.js.map" \
   "$VENDOR_DIR/chartjs/"
cp "$NM/chart.js/LICENSE.md" "$VENDOR_DIR/chartjs/LICENSE.md"
cp "$NM/@kurkle/color/LICENSE.md" "$VENDOR_DIR/chartjs/LICENSE-kurkle-color.md"

# ---- Iraq outline (Natural Earth 1:50m via world-atlas) ----------------------
echo "==> building $GEO_DIR/iraq-outline.geojson"
mkdir -p "$GEO_DIR"
cat > "$BUILD_DIR/build-outline.js" <<'EOF'
// Usage: node build-outline.js <countries-50m.json> <out.geojson>
"use strict";
const fs = require("fs");
const path = require("path");
const topojson = require(path.join(__dirname, "node_modules", "topojson-client"));

const [src, out] = process.argv.slice(2);
const topology = JSON.parse(fs.readFileSync(src, "utf8"));
const geom = topology.objects.countries.geometries.find((g) => String(g.id) === "368");
if (!geom) throw new Error("feature 368 (Iraq) not found in " + src);

const feature = topojson.feature(topology, geom);
const r = (v) => Math.round(v * 1e4) / 1e4;

// Round to 4 decimals and drop consecutive duplicate points that rounding makes.
function ring(points) {
  const outp = [];
  for (const [x, y] of points) {
    const p = [r(x), r(y)];
    const last = outp[outp.length - 1];
    if (!last || last[0] !== p[0] || last[1] !== p[1]) outp.push(p);
  }
  if (outp.length < 4) throw new Error("ring degenerated after rounding");
  return outp;
}
// world-atlas follows d3-geo's winding (exterior rings clockwise); rewind to
// the RFC 7946 right-hand rule: exterior counter-clockwise, holes clockwise.
function signedArea(pts) {
  let a = 0;
  for (let i = 0; i + 1 < pts.length; i++) a += pts[i][0] * pts[i + 1][1] - pts[i + 1][0] * pts[i][1];
  return a / 2;
}
function polygon(rings) {
  return rings.map(ring).map((pts, i) => {
    const ccw = signedArea(pts) > 0;
    return (i === 0) === ccw ? pts : pts.slice().reverse();
  });
}
const g = feature.geometry;
let coordinates;
if (g.type === "Polygon") coordinates = polygon(g.coordinates);
else if (g.type === "MultiPolygon") coordinates = g.coordinates.map(polygon);
else throw new Error("unexpected geometry type " + g.type);

const fc = {
  type: "FeatureCollection",
  features: [{
    type: "Feature",
    properties: { name: "Iraq", source: "Natural Earth 1:50m via world-atlas" },
    geometry: { type: g.type, coordinates },
  }],
};

// Sanity check: bbox roughly lon 38.8-48.6, lat 29.0-37.4.
let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
JSON.stringify(coordinates, (k, v) => {
  if (Array.isArray(v) && typeof v[0] === "number") {
    minX = Math.min(minX, v[0]); maxX = Math.max(maxX, v[0]);
    minY = Math.min(minY, v[1]); maxY = Math.max(maxY, v[1]);
  }
  return v;
});
const near = (a, b) => Math.abs(a - b) <= 0.3;
if (!(near(minX, 38.8) && near(maxX, 48.6) && near(minY, 29.0) && near(maxY, 37.4))) {
  throw new Error(`unexpected bbox ${[minX, minY, maxX, maxY]}`);
}
fs.writeFileSync(out, JSON.stringify(fc) + "\n");
console.log(`wrote ${out}: ${g.type}, bbox [${minX}, ${minY}, ${maxX}, ${maxY}]`);
EOF
node "$BUILD_DIR/build-outline.js" \
    "$NM/world-atlas/countries-50m.json" "$GEO_DIR/iraq-outline.geojson"

# ---- checks ------------------------------------------------------------------
if find "$VENDOR_DIR" -name node_modules | grep -q .; then
    echo "error: node_modules found under $VENDOR_DIR" >&2
    exit 1
fi
echo "==> done. Sizes:"
du -sh "$VENDOR_DIR"/* "$GEO_DIR/iraq-outline.geojson"
du -sh "$VENDOR_DIR"
echo "Remember to update $VENDOR_DIR/README.md if versions changed."
