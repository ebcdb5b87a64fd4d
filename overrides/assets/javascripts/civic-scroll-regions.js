/* Material wraps each Markdown table in a box that scrolls sideways when the table is wider than
 * the screen. A keyboard user can scroll such a box only if it can take focus (WCAG 2.1.1), and a
 * focusable box needs a name: both are given to the boxes that actually scroll, on load and on
 * resize. */
(function () {
  "use strict";
  function mark() {
    document.querySelectorAll(".md-typeset__scrollwrap").forEach(function (box) {
      if (box.scrollWidth > box.clientWidth) {
        box.tabIndex = 0;
        box.setAttribute("role", "region");
        box.setAttribute("aria-label", "表（横にスクロールできます）");
      } else {
        box.removeAttribute("tabindex");
        box.removeAttribute("role");
        box.removeAttribute("aria-label");
      }
    });
  }
  // document$ is Material's page-load signal; it fires after Material has wrapped the tables.
  if (window.document$) window.document$.subscribe(mark);
  else document.addEventListener("DOMContentLoaded", mark);
  window.addEventListener("resize", mark);
})();
