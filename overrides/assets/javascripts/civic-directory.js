/* Group directory: instant filtering of the server-rendered cards.
 * The cards work without JavaScript; this script only hides those that do not match, using
 * the compact JSON the plugin writes (groups/index.json) and the same folding as the index.
 * Filter state lives in the URL (?q=&field=&area=&recruiting=1, civic-url-state.js) so results
 * can be shared. The form is laid out from the first paint (.civic-js-only); it filters once the
 * JSON has arrived (then it carries data-ready), and is hidden if the JSON cannot be had. */
(function () {
  "use strict";
  var form = document.querySelector("form[data-civic-directory]");
  if (!form) return;
  if (!window.fetch || !window.civicFold || !window.civicUrlState) { form.hidden = true; return; }
  var fold = window.civicFold;
  var urlState = window.civicUrlState;
  var STATE = ["q", "field", "area", "recruiting"];  // in the query string (civic-url-state.js)
  var q = form.elements.namedItem("q");
  var field = form.elements.namedItem("field");
  var area = form.elements.namedItem("area");
  var recruiting = form.elements.namedItem("recruiting");
  var count = document.getElementById("civic-count");
  var empty = document.getElementById("civic-empty");
  var sections = Array.prototype.slice.call(document.querySelectorAll(".civic-row"));
  var data = null;
  urlState.read(form, STATE);  // a shared link's conditions show at once, applied with the data

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
    urlState.write(form, STATE, true);  // keeps a #row- anchor
  }

  form.addEventListener("submit", function (event) { event.preventDefault(); apply(); });
  form.addEventListener("input", apply);
  form.addEventListener("change", apply);
  form.addEventListener("reset", function () { window.setTimeout(apply, 0); });

  fetch(form.getAttribute("data-json"))
    .then(function (response) { return response.json(); })
    .then(function (json) {
      data = json;
      apply();
      form.setAttribute("data-ready", "");
    })
    .catch(function () { form.hidden = true; /* the list and the field/area pages still work */ });
})();
