/* Measures a page as a phone shows it (tests/browser/phone.py reads this file). Returns raw
   findings; elements hidden (display none, collapsed menu, closed dropdown, <template>) are
   not measured: a person cannot see them either. */
(() => {
  const vw = window.innerWidth;
  const out = { width: document.documentElement.scrollWidth, vw: vw, controls: [], cut: [], texts: [], none: [] };
  const shown = (el) => el.checkVisibility ? el.checkVisibility({ visibilityProperty: true, opacityProperty: false })
                                          : !!(el.offsetWidth || el.offsetHeight);
  const name = (el) => (el.id ? "#" + el.id : el.tagName.toLowerCase()) +
    (el.getAttribute("name") ? "[name=" + el.getAttribute("name") + "]" : "") +
    " «" + (el.innerText || el.value || el.getAttribute("aria-label") || "").trim().slice(0, 40) + "»";
  const inMap = (el) => !!el.closest(".leaflet-container");
  const tiny = (r) => r.width <= 1 || r.height <= 1;  // .visually-hidden
  for (const el of document.querySelectorAll("button, select, input:not([type=hidden]), textarea, a.btn")) {
    if (!shown(el) || inMap(el)) continue;
    const r = el.getBoundingClientRect();
    if (tiny(r)) continue;
    if (r.left < -1 || r.right > vw + 1) out.controls.push(name(el) + " at " + Math.round(r.left) + "…" + Math.round(r.right));
  }
  // Every cell with a digit: its text lies wholly inside the screen and inside every
  // ancestor that clips or scrolls horizontally.
  for (const cell of document.querySelectorAll("td, th")) {
    if (!/[0-9\u0660-\u0669]/.test(cell.textContent) || !shown(cell)) continue;
    const range = document.createRange();
    range.selectNodeContents(cell);
    const r = range.getBoundingClientRect();
    if (tiny(r)) continue;
    // A visually hidden fallback (a chart's table for screen readers) is clipped on purpose,
    // wherever its clipped box lies: a long Kurdish label puts it past the screen's edge.
    let hidden = false;
    let bad = r.left < -1 || r.right > vw + 1;
    for (let a = cell.parentElement; a && !hidden && a !== document.body; a = a.parentElement) {
      const ox = getComputedStyle(a).overflowX;
      if (ox === "visible") continue;
      const f = a.getBoundingClientRect();
      if (tiny(f)) hidden = true;
      else if (r.left < f.left - 1 || r.right > f.right + 1) bad = true;
    }
    if (bad && !hidden) out.cut.push(cell.textContent.trim().replace(/\s+/g, " ").slice(0, 40));
  }
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const skip = "script, style, template, noscript, code, kbd, samp, [translate=no], [lang=en], .leaflet-control-attribution";
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const text = node.nodeValue.trim();
    const el = node.parentElement;
    if (!text || !el || el.closest(skip) || !shown(el)) continue;
    out.texts.push(text);
    if (/\bNone\b/.test(text)) out.none.push(text.slice(0, 60));
  }
  for (const el of document.querySelectorAll("input[placeholder], [aria-label], [title]")) {
    if (!shown(el) || el.closest(skip)) continue;
    for (const a of ["placeholder", "aria-label", "title"]) {
      const v = el.getAttribute(a);
      if (v) out.texts.push(v);
    }
  }
  return out;
})
