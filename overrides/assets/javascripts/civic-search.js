/* Site search over the Pagefind index. The index holds folded bigram tokens (see
 * civic_portal/render/search.py); civicSearchQueries turns what a person typed into the same
 * tokens, one Pagefind query a word, and the pages found for every query are the answer.
 * Results show the original title and excerpt stored as Pagefind meta, as text only. */
(function () {
  "use strict";
  var form = document.getElementById("civic-site-search");
  if (!form || !window.civicSearchQueries || !window.civicUrlState) return;
  var PAGE = 10;
  var urlState = window.civicUrlState;
  var STATE = ["q", "field", "area"];  // in the query string (civic-url-state.js)
  var input = form.elements.namedItem("q");
  var field = form.elements.namedItem("field");
  var area = form.elements.namedItem("area");
  var status = document.getElementById("site-status");
  var list = document.getElementById("site-results");
  var more = document.getElementById("site-more");
  var root = new URL(form.getAttribute("data-site-root") || "/", window.location.href).pathname;
  var pagefind = null;
  var results = [];
  var shown = 0;
  var generation = 0;

  /* The index is written in parts (see outputs/search.py); civic-parts.json lists the parts
   * after the first, which Pagefind merges into one search. */
  function load() {
    if (!pagefind) {
      var script = new URL(form.getAttribute("data-pagefind"), window.location.href);
      var parts = fetch(new URL("civic-parts.json", script).href).then(function (response) {
        if (!response.ok) throw new Error("civic-parts.json: " + response.status);
        return response.json();
      });
      pagefind = Promise.all([import(script.href), parts]).then(function (loaded) {
        var module = loaded[0];
        return module.options({ baseUrl: root }).then(function () {
          return Promise.all(loaded[1].parts.map(function (part) {
            return module.mergeIndex(new URL(part, script).href, { baseUrl: root });
          }));
        }).then(function () { return module; });
      });
    }
    return pagefind;
  }

  /* Field and area are index tokens (see facet_token in render/search.py), one more query each. */
  function facetQueries() {
    return [field, area].filter(function (select) { return select && select.value; })
      .map(function (select) { return '"' + select.options[select.selectedIndex].getAttribute("data-token") + '"'; });
  }

  /* The pages every query found, in the order of the first query's results. */
  function everyQuery(pf, queries) {
    return Promise.all(queries.map(function (q) { return pf.search(q); })).then(function (found) {
      var rest = found.slice(1).map(function (f) {
        var ids = new Set();
        f.results.forEach(function (r) { ids.add(r.id); });
        return ids;
      });
      return found[0].results.filter(function (r) {
        return rest.every(function (ids) { return ids.has(r.id); });
      });
    });
  }

  function renderMore() {
    var batch = results.slice(shown, shown + PAGE);
    shown += batch.length;
    return Promise.all(batch.map(function (r) { return r.data(); })).then(function (items) {
      items.forEach(function (item) {
        var li = document.createElement("li");
        var a = document.createElement("a");
        a.href = item.url;
        a.textContent = (item.meta && item.meta.title) || item.url;
        var p = document.createElement("p");
        p.textContent = (item.meta && item.meta.excerpt) || "";
        li.appendChild(a);
        li.appendChild(p);
        list.appendChild(li);
      });
      more.hidden = shown >= results.length;
    });
  }

  function search() {
    var queries = window.civicSearchQueries(input.value).concat(facetQueries());
    var mine = ++generation;
    urlState.write(form, STATE, false);
    if (!queries.length) {
      list.textContent = "";
      status.textContent = "";
      more.hidden = true;
      return;
    }
    status.textContent = "検索しています…";
    load().then(function (pf) {
      return everyQuery(pf, queries);
    }).then(function (found) {
      if (mine !== generation) return;
      results = found;
      shown = 0;
      list.textContent = "";
      var label = input.value.trim() ? "「" + input.value.trim() + "」" : "条件";
      status.textContent = results.length
        ? label + "の検索結果: " + results.length + "件"
        : label + "に一致するページは見つかりませんでした。";
      return renderMore();
    }).catch(function () {
      status.textContent = "検索の準備ができませんでした。ページを再読み込みしてください。";
    });
  }

  var timer = null;
  form.addEventListener("submit", function (event) { event.preventDefault(); search(); });
  input.addEventListener("input", function () { window.clearTimeout(timer); timer = window.setTimeout(search, 250); });
  form.addEventListener("change", function (event) { if (event.target !== input) search(); });
  more.addEventListener("click", function () { renderMore(); });

  urlState.read(form, STATE);
  if (input.value || (field && field.value) || (area && area.value)) search();
})();
