/* Filter state in the query string (?q=&field=&area=…), shared by the group directory and the
 * site search so a filtered page can be shared or bookmarked. Loaded before both scripts.
 *   civicUrlState.read(form, names): set the named controls from the query string;
 *   civicUrlState.write(form, names, keepHash): put their values back with replaceState.
 * A text field holds its trimmed text, a <select> its value (one the page does not offer falls
 * back to the first, "all", option), a checkbox its value when checked; empty ones are left out. */
(function () {
  "use strict";

  function controls(form, names) {
    return names.map(function (name) { return [name, form.elements.namedItem(name)]; })
      .filter(function (pair) { return pair[1]; });
  }

  function read(form, names) {
    var params = new URLSearchParams(window.location.search);
    controls(form, names).forEach(function (pair) {
      var control = pair[1];
      var value = params.get(pair[0]) || "";
      if (control.type === "checkbox") {
        control.checked = value !== "" && value === control.value;
      } else {
        control.value = value;
        if (control.tagName === "SELECT" && control.selectedIndex < 0) control.value = "";
      }
    });
  }

  function write(form, names, keepHash) {
    var params = new URLSearchParams();
    controls(form, names).forEach(function (pair) {
      var control = pair[1];
      var value = control.type === "checkbox" ? (control.checked ? control.value : "")
        : control.tagName === "SELECT" ? control.value : control.value.trim();
      if (value) params.set(pair[0], value);
    });
    var query = params.toString();
    var url = window.location.pathname + (query ? "?" + query : "") + (keepHash ? window.location.hash : "");
    window.history.replaceState(null, "", url);
  }

  window.civicUrlState = { read: read, write: write };
})();
