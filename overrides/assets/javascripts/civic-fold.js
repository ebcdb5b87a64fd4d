/* Text folding and search tokens shared by the group directory and the site search.
 * Twin of civic_portal.kana (Python): fold = NFKC width folding, lower case, katakana as
 * hiragana; searchQueries = the Pagefind queries (character bigrams spelled in ASCII).
 * tests/test_kana.py runs one table through both implementations. */
(function (root) {
  "use strict";
  var SYMBOLS = "0123456789abcdefghijklmnopqrstuvwxyz";
  var SHORT_LIMIT = 35 * 36 * 36;
  var MARK = "j";
  var ASCII_MARK = "a";

  function fold(text) {
    var s = String(text).normalize("NFKC").toLowerCase();
    var out = "";
    for (var i = 0; i < s.length; i++) {
      var c = s.charCodeAt(i);
      if ((c >= 0x30a1 && c <= 0x30f6) || c === 0x30fd || c === 0x30fe) c -= 0x60;
      out += String.fromCharCode(c);
    }
    return out;
  }

  /* Prefix-free ASCII spelling of one letter: 3 symbols, or "z" and 4 for rarer letters. */
  function spell(ch) {
    var code = ch.codePointAt(0);
    var width = 3;
    var prefix = "";
    if (code >= SHORT_LIMIT) { code -= SHORT_LIMIT; width = 4; prefix = "z"; }
    var out = "";
    for (var i = 0; i < width; i++) { out = SYMBOLS.charAt(code % 36) + out; code = Math.floor(code / 36); }
    return prefix + out;
  }

  var ALNUM = /[\p{L}\p{N}]/u;

  function runs(text) {
    var result = [];
    var current = [];
    var kind = "";
    Array.from(fold(text)).forEach(function (ch) {
      var ascii = ch.charCodeAt(0) < 128;
      var k = ALNUM.test(ch) ? (ascii ? "a" : "c") : "";
      if (k !== kind && current.length) { result.push(current); current = []; }
      kind = k;
      if (k) current.push(ch);
    });
    if (current.length) result.push(current);
    return result;
  }

  function queryTokens(word) {
    var tokens = [];
    runs(word).forEach(function (run) {
      if (run[0].charCodeAt(0) < 128) tokens.push(ASCII_MARK + run.join(""));
      else if (run.length === 1) tokens.push(MARK + spell(run[0]));
      else for (var i = 0; i + 1 < run.length; i++) tokens.push(MARK + spell(run[i]) + spell(run[i + 1]));
    });
    return tokens;
  }

  /* One Pagefind query a word (twin of search_queries): an exact phrase of its tokens, or a
   * word of one letter unquoted (a prefix); the search page keeps pages found for all. */
  function searchQueries(text) {
    var queries = [];
    fold(text).split(/\s+/).filter(Boolean).forEach(function (word) {
      var wordRuns = runs(word);
      if (wordRuns.length === 1 && wordRuns[0].length === 1 && wordRuns[0][0].charCodeAt(0) >= 128) {
        queries.push(MARK + spell(wordRuns[0][0]));
        return;
      }
      var tokens = queryTokens(word);
      if (tokens.length) queries.push('"' + tokens.join(" ") + '"');
    });
    return queries;
  }

  root.civicFold = fold;
  root.civicSearchQueries = searchQueries;
  if (typeof module !== "undefined" && module.exports) module.exports = { fold: fold, searchQueries: searchQueries };
})(typeof window !== "undefined" ? window : globalThis);
