/* Governorate map: polygons when official boundaries were imported, else proportional
   symbols at centroids over the Natural Earth outline. Tiles only if a server is set. */
(function () {
  "use strict";
  function fmt(n) { return new Intl.NumberFormat(document.documentElement.lang).format(n); }

  function colour(value, max) {
    var t = max > 0 ? value / max : 0;
    var stops = ["#fff5eb", "#fdd0a2", "#fd8d3c", "#d94801", "#7f2704"];
    return stops[Math.min(stops.length - 1, Math.floor(t * (stops.length - 1) + 0.0001))];
  }

  function draw(el) {
    var map = L.map(el, { zoomSnap: 0.25, attributionControl: true }).setView([33.2, 43.7], 5.5);
    if (el.dataset.tiles) {
      L.tileLayer(el.dataset.tiles, { maxZoom: 18, attribution: el.dataset.attribution || "" }).addTo(map);
    }
    el.amina = { map: map, count: 0 };
    fetch(el.dataset.outline).then(function (r) { return r.json(); }).then(function (outline) {
      L.geoJSON(outline, { style: { color: "#6c757d", weight: 1, fillColor: "#e9ecef", fillOpacity: 0.6 }, interactive: false }).addTo(map);
    }).catch(function () {});
    fetch(el.dataset.geojson, { credentials: "same-origin" }).then(function (r) { return r.json(); }).then(function (data) {
      var max = 0;
      data.features.forEach(function (f) { max = Math.max(max, f.properties.value || 0); });
      var bounds = L.latLngBounds([]);
      data.features.forEach(function (f) {
        var p = f.properties, label = "<a href='" + p.url + "'>" + p.name + "</a><br>" + data.label + ": " + fmt(p.value || 0);
        if (f.geometry && f.geometry.type !== "Point") {
          var poly = L.geoJSON(f, { style: { color: "#495057", weight: 1, fillColor: colour(p.value || 0, max), fillOpacity: 0.8 } }).bindTooltip(label).addTo(map);
          poly.eachLayer(function (l) { if (l._path) { l._path.setAttribute("data-pcode", p.pcode); l._path.classList.add("amina-governorate"); } });
          bounds.extend(poly.getBounds());
        }
        if (p.centroid) {
          var radius = max > 0 ? 4 + 26 * Math.sqrt((p.value || 0) / max) : 6;
          var m = L.circleMarker([p.centroid[1], p.centroid[0]], { radius: radius, color: "#7f2704", weight: 1, fillColor: "#d94801", fillOpacity: 0.55, className: "amina-symbol" }).bindTooltip(label).addTo(map);
          m.on("click", function () { window.location = p.url; });
          if (m._path) { m._path.setAttribute("data-pcode", p.pcode); }
          bounds.extend(m.getLatLng());
        }
        el.amina.count += 1;
      });
      if (bounds.isValid()) { map.fitBounds(bounds.pad(0.15)); }
      el.dataset.loaded = String(el.amina.count);
    });
  }
  document.querySelectorAll("[data-geojson]").forEach(draw);
})();
