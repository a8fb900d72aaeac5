/* Maps of places and figures (Leaflet).

   Two kinds of map element:
   - data-map="ID": the map of the user's own scope, from the json_script ID that
     amina.geo.scopemap.scope_map() fills. Governorates for a national user (polygons when
     official boundaries were imported, else proportional symbols at centroids); for a user
     responsible for a few governorates, their districts (outlines or names) and every
     located location of theirs, sized by the figure, named in its tooltip with the figure,
     fitted to their governorates; a legend in every case.
   - data-geojson="URL": places fetched from URL (a governorate's districts).
   Under both, the Natural Earth outline; tiles only if a server is set. When drawn, the
   element gets data-loaded="<number of places and areas>" (tests wait on it), and every
   place drawn is a path with class amina-place and data-pcode.
   Names come from users and imported files: every text goes through Amina.escapeHtml. */
(function () {
  "use strict";
  var esc = Amina.escapeHtml;
  var fmt = Amina.number;

  function colour(value, max) {
    var t = max > 0 ? value / max : 0;
    var stops = ["#fff5eb", "#fdd0a2", "#fd8d3c", "#d94801", "#7f2704"];
    return stops[Math.min(stops.length - 1, Math.floor(t * (stops.length - 1) + 0.0001))];
  }

  function radius(value, max, big) {
    if (value == null || !(max > 0)) { return 6; }
    return 3 + (big ? 26 : 16) * Math.sqrt(Math.max(0, value) / max);
  }

  function start(el) {
    var map = Amina.map(el, { zoomSnap: 0.25, attributionControl: true }).setView([33.2, 43.7], 5.5);
    // The outline lies under the figures whatever order the files arrive in.
    map.createPane("amina-outline").style.zIndex = 250;
    map.createPane("amina-areas").style.zIndex = 300;
    if (el.dataset.tiles) {
      L.tileLayer(el.dataset.tiles, { maxZoom: 18, attribution: el.dataset.attribution || "" }).addTo(map);
    }
    map.attributionControl.addAttribution("Natural Earth");
    if (el.dataset.outline) {
      fetch(el.dataset.outline).then(function (r) { return r.json(); }).then(function (outline) {
        L.geoJSON(outline, { pane: "amina-outline", interactive: false,
          style: { color: "#6c757d", weight: 1, fillColor: "#e9ecef", fillOpacity: 0.6, className: "amina-outline" } }).addTo(map);
      }).catch(function () {});
    }
    el.amina = { map: map, count: 0 };
    return map;
  }

  function fetchJson(url) {
    return fetch(url, { credentials: "same-origin" }).then(function (r) {
      if (!r.ok) { throw new Error(r.status); }
      return r.json();
    });
  }

  /* Official outlines by p-code, from every URL given ({} when none or on failure). */
  function outlines(urls) {
    return Promise.all((urls || []).map(function (url) {
      return fetchJson(url).catch(function () { return { features: [] }; });
    })).then(function (collections) {
      var byCode = {};
      collections.forEach(function (c) {
        (c.features || []).forEach(function (o) { byCode[o.properties.pcode] = { geometry: o.geometry, level: c.level }; });
      });
      return byCode;
    });
  }

  function symbol(map, p, r, tooltip, bounds) {
    var m = L.circleMarker([p.lat, p.lon], { radius: r, color: "#7f2704", weight: 1, fillColor: "#d94801",
      fillOpacity: 0.55, className: "amina-symbol amina-place" }).bindTooltip(tooltip).addTo(map);
    m.on("click", function () { if (/^\/(?!\/)/.test(p.url || "")) { window.location = p.url; } });
    if (m._path) { m._path.setAttribute("data-pcode", p.pcode || ""); m._path.setAttribute("aria-label", p.name || ""); }
    bounds.extend(m.getLatLng());
    return m;
  }

  function legend(map, texts, max, level, unplaced) {
    var control = L.control({ position: "bottomleft" });
    control.onAdd = function () {
      var div = L.DomUtil.create("div", "map-legend");
      div.setAttribute("data-testid", "map-legend");
      var title = document.createElement("div");
      title.className = "fw-semibold";
      title.textContent = texts.label || "";
      div.appendChild(title);
      var steps = max > 0 ? [max, Math.round(max / 4), Math.round(max / 16)] : [];
      steps.filter(function (v, i) { return v > 0 && steps.indexOf(v) === i; }).forEach(function (v) {
        var row = document.createElement("div");
        var dot = document.createElement("i");
        var d = 2 * radius(v, max, level === "governorate");
        dot.style.width = d + "px";
        dot.style.height = d + "px";
        row.appendChild(dot);
        row.appendChild(document.createTextNode(fmt(v)));
        div.appendChild(row);
      });
      if (unplaced > 0 && texts.unplaced) {
        var note = document.createElement("div");
        note.className = "text-muted";
        note.textContent = texts.unplaced.replace("%(n)s", fmt(unplaced));
        div.appendChild(note);
      }
      return div;
    };
    control.addTo(map);
    return control.getContainer();
  }

  function drawScope(el, data) {
    var map = start(el);
    var texts = data.texts || {};
    var places = data.places || [];
    var areas = data.areas || [];
    var bounds = L.latLngBounds([]);
    var max = 0;
    places.forEach(function (p) { max = Math.max(max, p.value || 0); });
    var key = legend(map, texts, max, data.level, data.unplaced || 0);
    outlines(data.outlines).then(function (byCode) {
      var shaded = data.level === "governorate";
      Object.keys(byCode).forEach(function (code) {
        var o = byCode[code];
        var place = null;
        places.forEach(function (p) { if (p.pcode === code) { place = p; } });
        var style = shaded && place
          ? { color: "#495057", weight: 1, fillColor: colour(place.value || 0, max), fillOpacity: 0.8 }
          : { color: o.level === "district" ? "#868e96" : "#343a40", weight: o.level === "district" ? 1 : 2, fill: false };
        var poly = L.geoJSON({ type: "Feature", geometry: o.geometry, properties: {} },
          { pane: "amina-areas", interactive: !!(shaded && place), style: style }).addTo(map);
        if (shaded && place) {
          poly.bindTooltip(Amina.link(place.url, place.name) + "<br>" + esc(texts.label) + ": " + esc(fmt(place.value || 0)));
          poly.on("click", function () { if (/^\/(?!\/)/.test(place.url || "")) { window.location = place.url; } });
        }
        poly.eachLayer(function (l) { if (l._path) { l._path.setAttribute("data-boundary", code); l._path.classList.add("amina-boundary"); } });
        if (data.level === "location" && o.level === "governorate") { bounds.extend(poly.getBounds()); }
      });
      areas.forEach(function (a) {
        if (byCode[a.pcode]) { return; }
        // No outline imported: the district's name at its centre, so the officer knows where.
        L.marker([a.lat, a.lon], { interactive: false, keyboard: false,
          icon: L.divIcon({ className: "map-label", html: esc(a.name), iconSize: null }) }).addTo(map);
        if (!places.length) { bounds.extend([a.lat, a.lon]); }
      });
      places.forEach(function (p) {
        var where = [p.district, data.level === "location" ? p.governorate : ""].filter(Boolean).join(" · ");
        var tip = Amina.link(p.url, p.name) + (where ? "<br>" + esc(where) : "") +
          (p.value != null && texts.label ? "<br>" + esc(texts.label) + ": " + esc(fmt(p.value)) : "");
        symbol(map, p, radius(p.value, max, data.level === "governorate"), tip, bounds);
        el.amina.count += 1;
      });
      if (bounds.isValid()) {
        // Room for the legend (bottom left), so it never hides a place.
        map.fitBounds(bounds.pad(0.05), { maxZoom: data.level === "governorate" ? 8 : 11,
          paddingTopLeft: [Math.max(40, key.offsetWidth + 10), 20], paddingBottomRight: [20, key.offsetHeight + 10] });
      }
      el.dataset.loaded = String(places.length + areas.length);
    }).catch(function () { el.dataset.loaded = "error"; });
  }

  function drawFetched(el) {
    var map = start(el);
    fetchJson(el.dataset.geojson).then(function (data) {
      return outlines(data.boundaries ? [data.boundaries] : []).then(function (byCode) {
        var max = 0, bounds = L.latLngBounds([]);
        data.features.forEach(function (f) { max = Math.max(max, f.properties.value || 0); });
        data.features.forEach(function (f) {
          var p = f.properties;
          var tip = Amina.link(p.url, p.name) + (data.label ? "<br>" + esc(data.label) + ": " + esc(fmt(p.value || 0)) : "");
          if (byCode[p.pcode]) {
            var poly = L.geoJSON({ type: "Feature", geometry: byCode[p.pcode].geometry, properties: {} },
              { style: { color: "#495057", weight: 1, fillColor: colour(p.value || 0, max), fillOpacity: 0.8 } }).bindTooltip(tip).addTo(map);
            poly.eachLayer(function (l) { if (l._path) { l._path.setAttribute("data-boundary", p.pcode); l._path.classList.add("amina-boundary"); } });
            poly.on("click", function () { window.location = p.url; });
            bounds.extend(poly.getBounds());
          }
          var c = p.centroid || (f.geometry && f.geometry.type === "Point" ? f.geometry.coordinates : null);
          if (c) { symbol(map, { lat: c[1], lon: c[0], pcode: p.pcode, name: p.name, url: p.url }, radius(p.value, max, true), tip, bounds); }
          el.amina.count += 1;
        });
        if (bounds.isValid()) { map.fitBounds(bounds.pad(0.15), { maxZoom: 8 }); }
        el.dataset.loaded = String(el.amina.count);
      });
    }).catch(function () { el.dataset.loaded = "error"; });
  }

  document.querySelectorAll("[data-map]").forEach(function (el) {
    var data = Amina.data(el.dataset.map);
    if (data) { drawScope(el, data); } else { el.dataset.loaded = "error"; }
  });
  document.querySelectorAll("[data-geojson]").forEach(drawFetched);
})();
