/* Group directory: instant filtering of the server-rendered cards.
 * The cards work without JavaScript; this script only hides those that do not match, using
 * the compact JSON the plugin writes (groups/index.json) and the same folding as the index.
 * Filter state lives in the URL (?q=&field=&area=&recruiting=1) so results can be shared. */
(function () {
  "use strict";
  var form = document.querySelector("form[data-civic-directory]");
  if (!form || !window.fetch || !window.civicFold) return;
  var fold = window.civicFold;
  var q = form.elements.namedItem("q");
  var field = form.elements.namedItem("field");
  var area = form.elements.namedItem("area");
  var recruiting = form.elements.namedItem("recruiting");
  var count = document.getElementById("civic-count");
  var empty = document.getElementById("civic-empty");
  var sections = Array.prototype.slice.call(document.querySelectorAll(".civic-row"));
  var data = null;

  function readUrl() {
    var params = new URLSearchParams(window.location.search);
    q.value = params.get("q") || "";
    if (field) field.value = params.get("field") || "";
    if (area) area.value = params.get("area") || "";
    recruiting.checked = params.get("recruiting") === "1";
    if (field && field.selectedIndex < 0) field.value = "";
    if (area && area.selectedIndex < 0) area.value = "";
  }

  function writeUrl() {
    var params = new URLSearchParams();
    if (q.value.trim()) params.set("q", q.value.trim());
    if (field && field.value) params.set("field", field.value);
    if (area && area.value) params.set("area", area.value);
    if (recruiting.checked) params.set("recruiting", "1");
    var query = params.toString();
    var url = window.location.pathname + (query ? "?" + query : "") + window.location.hash;
    window.history.replaceState(null, "", url);
  }

  function apply() {
    if (!data) return;
    var terms = fold(q.value).split(/\s+/).filter(Boolean);
    var fieldIndex = field && field.value ? data.fields.indexOf(field.value) : -1;
    var areaIndex = area && area.value ? data.areas.indexOf(area.value) : -1;
    var wantRecruiting = recruiting.checked;
    var shown = 0;
    data.groups.forEach(function (g) {
      var card = document.getElementById("g-" + g.s);
      if (!card) return;
      var ok = terms.every(function (t) { return g.h.indexOf(t) !== -1; }) &&
        (fieldIndex < 0 || g.f.indexOf(fieldIndex) !== -1) &&
        (areaIndex < 0 || (g.a || []).indexOf(areaIndex) !== -1) &&
        (!wantRecruiting || g.r === 1);
      card.hidden = !ok;
      if (ok) shown += 1;
    });
    sections.forEach(function (section) {
      section.hidden = !section.querySelector(".civic-card:not([hidden])");
    });
    count.textContent = shown + "団体" + (shown === data.groups.length ? "" : "（全" + data.groups.length + "団体中）");
    empty.hidden = shown !== 0;
    writeUrl();
  }

  form.addEventListener("submit", function (event) { event.preventDefault(); apply(); });
  form.addEventListener("input", apply);
  form.addEventListener("change", apply);
  form.addEventListener("reset", function () { window.setTimeout(apply, 0); });

  fetch(form.getAttribute("data-json"))
    .then(function (response) { return response.json(); })
    .then(function (json) {
      data = json;
      form.hidden = false;
      readUrl();
      apply();
    })
    .catch(function () { /* the static list and the field/area pages still work */ });
})();
