/* Text folding and search tokens shared by the group directory and the site search.
 * Twin of civic_portal.kana (Python): fold = NFKC width folding, lower case, katakana as
 * hiragana; searchQuery = the Pagefind query (character bigrams spelled in ASCII).
 * tests/test_kana.py runs one table through both implementations. */
(function (root) {
  "use strict";
  var SYMBOLS = "0123456789abcdefghijklmnopqrstuvwxyz";
  var SHORT_LIMIT = 35 * 36 * 36;
  var MARK = "j";

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
      if (run[0].charCodeAt(0) < 128) tokens.push(run.join(""));
      else if (run.length === 1) tokens.push(MARK + spell(run[0]));
      else for (var i = 0; i + 1 < run.length; i++) tokens.push(MARK + spell(run[i]) + spell(run[i + 1]));
    });
    return tokens;
  }

  /* One quoted phrase per Pagefind query: the longest word; other words' bigrams are ANDed. */
  function searchQuery(text) {
    var words = fold(text).split(/\s+/).filter(Boolean).map(queryTokens)
      .filter(function (tokens) { return tokens.length; });
    if (!words.length) return "";
    var longest = 0;
    words.forEach(function (tokens, i) { if (tokens.length > words[longest].length) longest = i; });
    return words.map(function (tokens, i) {
      var joined = tokens.join(" ");
      return i === longest && tokens.length > 1 ? '"' + joined + '"' : joined;
    }).join(" ");
  }

  root.civicFold = fold;
  root.civicSearchQuery = searchQuery;
  if (typeof module !== "undefined" && module.exports) module.exports = { fold: fold, searchQuery: searchQuery };
})(typeof window !== "undefined" ? window : globalThis);
