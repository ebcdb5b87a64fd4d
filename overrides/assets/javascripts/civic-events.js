/* Events list: filter by field, area and period (this week / this month), and hide what is
 * already over today (the site may have been built days ago). The list works without it. */
(function () {
  "use strict";
  var form = document.querySelector("form[data-civic-events]");
  if (!form) return;
  var items = Array.prototype.slice.call(document.querySelectorAll(".civic-occ"));
  var sections = Array.prototype.slice.call(document.querySelectorAll(".civic-day"));
  var count = document.getElementById("events-count");
  var empty = document.getElementById("events-empty");

  function iso(d) {
    return d.getFullYear() + "-" + String(d.getMonth() + 1).padStart(2, "0") + "-" + String(d.getDate()).padStart(2, "0");
  }
  var now = new Date();
  var today = iso(now);
  // The week ends on Saturday (Sunday-first calendars) or Sunday (Monday-first), as configured.
  var lastWeekday = form.getAttribute("data-week-start") === "monday" ? 0 : 6;
  var weekEnd = new Date(now); weekEnd.setDate(now.getDate() + ((lastWeekday - now.getDay() + 7) % 7));
  var monthEnd = new Date(now.getFullYear(), now.getMonth() + 1, 0);

  function apply() {
    var field = form.elements.namedItem("field");
    var area = form.elements.namedItem("area");
    var period = (form.querySelector("input[name=period]:checked") || {}).value || "";
    var until = period === "week" ? iso(weekEnd) : period === "month" ? iso(monthEnd) : "9999-12-31";
    var shown = 0;
    items.forEach(function (li) {
      var ok = li.dataset.last >= today && li.dataset.first <= until &&
        (!field || !field.value || li.dataset.fields.split(" ").indexOf(field.value) !== -1) &&
        (!area || !area.value || li.dataset.areas.split(" ").indexOf(area.value) !== -1);
      li.hidden = !ok;
      if (ok) shown += 1;
    });
    sections.forEach(function (s) { s.hidden = !s.querySelector(".civic-occ:not([hidden])"); });
    count.textContent = shown + "件";
    empty.hidden = shown !== 0;
  }
  form.addEventListener("change", apply);
  apply();
  form.setAttribute("data-ready", "");
})();
