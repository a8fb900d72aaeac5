/* Governorate map: polygons when official boundaries were imported, else proportional
   symbols at centroids over the Natural Earth outline. Tiles only if a server is set.
   When drawn, the map element gets data-loaded="<number of places>" (tests wait on it). */
(function () {
  "use strict";
  function fmt(n) { return new Intl.NumberFormat(document.documentElement.lang).format(n); }

  var esc = Amina.escapeHtml;  // names come from users and imported files

  function colour(value, max) {
    var t = max > 0 ? value / max : 0;
    var stops = ["#fff5eb", "#fdd0a2", "#fd8d3c", "#d94801", "#7f2704"];
    return stops[Math.min(stops.length - 1, Math.floor(t * (stops.length - 1) + 0.0001))];
  }

  function draw(el) {
    var map = L.map(el, { zoomSnap: 0.25, attributionControl: true }).setView([33.2, 43.7], 5.5);
    // The outline lies under the figures whatever order the two files arrive in.
    map.createPane("amina-outline").style.zIndex = 250;
    if (el.dataset.tiles) {
      L.tileLayer(el.dataset.tiles, { maxZoom: 18, attribution: el.dataset.attribution || "" }).addTo(map);
    }
    map.attributionControl.addAttribution("Natural Earth");
    el.amina = { map: map, count: 0 };
    fetch(el.dataset.outline).then(function (r) { return r.json(); }).then(function (outline) {
      L.geoJSON(outline, { pane: "amina-outline", interactive: false,
        style: { color: "#6c757d", weight: 1, fillColor: "#e9ecef", fillOpacity: 0.6, className: "amina-outline" } }).addTo(map);
    }).catch(function () {});
    fetch(el.dataset.geojson, { credentials: "same-origin" }).then(function (r) {
      if (!r.ok) { throw new Error(r.status); }
      return r.json();
    }).then(function (data) {
      // Outlines come apart from the figures (cached a day): polygons join by p-code.
      if (!data.boundaries) { return data; }
      return fetch(data.boundaries, { credentials: "same-origin" }).then(function (r) {
        return r.ok ? r.json() : { features: [] };
      }).then(function (outlines) {
        var byCode = {};
        outlines.features.forEach(function (o) { byCode[o.properties.pcode] = o.geometry; });
        data.features.forEach(function (f) { if (byCode[f.properties.pcode]) { f.geometry = byCode[f.properties.pcode]; } });
        return data;
      }).catch(function () { return data; });
    }).then(function (data) {
      var max = 0;
      data.features.forEach(function (f) { max = Math.max(max, f.properties.value || 0); });
      var bounds = L.latLngBounds([]);
      data.features.forEach(function (f) {
        var p = f.properties;
        var label = Amina.link(p.url, p.name) + "<br>" + esc(data.label || "") + (data.label ? ": " + esc(fmt(p.value || 0)) : "");
        if (f.geometry && f.geometry.type !== "Point") {
          var poly = L.geoJSON(f, { style: { color: "#495057", weight: 1, fillColor: colour(p.value || 0, max), fillOpacity: 0.8 } }).bindTooltip(label).addTo(map);
          poly.eachLayer(function (l) { if (l._path) { l._path.setAttribute("data-boundary", p.pcode); l._path.classList.add("amina-boundary"); } });
          poly.on("click", function () { window.location = p.url; });
          bounds.extend(poly.getBounds());
        }
        var centre = p.centroid || (f.geometry && f.geometry.type === "Point" ? f.geometry.coordinates : null);
        if (centre) {
          var radius = max > 0 ? 4 + 26 * Math.sqrt((p.value || 0) / max) : 6;
          var m = L.circleMarker([centre[1], centre[0]], { radius: radius, color: "#7f2704", weight: 1, fillColor: "#d94801", fillOpacity: 0.55, className: "amina-symbol" }).bindTooltip(label).addTo(map);
          m.on("click", function () { window.location = p.url; });
          if (m._path) { m._path.setAttribute("data-pcode", p.pcode); m._path.setAttribute("aria-label", p.name); }
          bounds.extend(m.getLatLng());
        }
        el.amina.count += 1;
      });
      if (bounds.isValid()) { map.fitBounds(bounds.pad(0.15), { maxZoom: 8 }); }
      el.dataset.loaded = String(el.amina.count);
    }).catch(function () { el.dataset.loaded = "error"; });
  }
  document.querySelectorAll("[data-geojson]").forEach(draw);
})();
