/* The portal's additions to Decap CMS at /admin/ (served from the site itself, like the CMS):
 * - the validation messages in the same wording as `civic check` and Japanese for the phrases
 *   Decap's own ja locale lacks (#civic-form, which the build writes from the group-file contract);
 * - "civic-suggest", a text box with a list of suggestions (<datalist>): `repeat` offers the usual
 *   phrases (毎月第2土曜) and takes free text;
 * - before saving, empty values are dropped, so the file holds what the group wrote, not
 *   `key: ""` left behind by a box typed in and cleared; and every mapping is put in the form's
 *   key order (Decap keeps a mapping of more than 8 keys, an event, in the order of its keys'
 *   hashes), so that a file saved again changes only where a value changed;
 * - names for the controls Decap leaves unnamed (WCAG 4.1.2): a list item's open/close and
 *   remove buttons and its drag handle, and the Markdown box.
 */
(function () {
  "use strict";
  var CMS = window.CMS;
  if (!CMS) {
    return;
  }
  var h = window.h;
  var createClass = window.createClass;

  function merge(base, extra) {
    var out = {};
    var key;
    for (key in base) {
      if (Object.prototype.hasOwnProperty.call(base, key)) out[key] = base[key];
    }
    for (key in extra) {
      if (!Object.prototype.hasOwnProperty.call(extra, key)) continue;
      var value = extra[key];
      out[key] =
        value && typeof value === "object" && out[key] && typeof out[key] === "object"
          ? merge(out[key], value)
          : value;
    }
    return out;
  }

  var data = document.getElementById("civic-form");
  var form = data ? JSON.parse(data.textContent) : { phrases: {}, keyOrder: {} };
  CMS.registerLocale("ja", merge(CMS.getLocale("ja") || {}, form.phrases));

  var Suggest = createClass({
    handleChange: function (event) {
      this.props.onChange(event.target.value);
    },
    render: function () {
      var field = this.props.field;
      var options = field.get("options");
      var list = options && options.toJS ? options.toJS() : [];
      var listId = this.props.forID + "-suggestions";
      return h(
        "div",
        null,
        h("input", {
          type: "text",
          id: this.props.forID,
          className: this.props.classNameWrapper,
          value: this.props.value || "",
          list: listId,
          autoComplete: "off",
          onChange: this.handleChange,
          onFocus: this.props.setActiveStyle,
          onBlur: this.props.setInactiveStyle,
        }),
        h(
          "datalist",
          { id: listId },
          list.map(function (option) {
            // "value" or {value, label}: a venue's id, shown with its name
            if (typeof option === "string") return h("option", { key: option, value: option });
            return h("option", { key: option.value, value: option.value, label: option.label });
          })
        )
      );
    },
  });
  var SuggestPreview = createClass({
    render: function () {
      return h("p", null, this.props.value || "");
    },
  });
  CMS.registerWidget("civic-suggest", Suggest, SuggestPreview, {
    properties: {
      options: {
        type: "array",
        items: {
          oneOf: [
            { type: "string" },
            {
              type: "object",
              properties: { value: { type: "string" }, label: { type: "string" } },
              required: ["value"],
            },
          ],
        },
      },
    },
  });

  function isCollection(value) {
    return value && typeof value.toJS === "function" && typeof value.filter === "function";
  }
  function isEmpty(value) {
    return (
      value === undefined ||
      value === null ||
      (typeof value === "string" && value.trim() === "") ||
      (isCollection(value) && value.size === 0)
    );
  }
  function isList(value) {
    return typeof value.push === "function";
  }
  // Empty values dropped; mappings (Immutable Maps) sorted in the form's key order into
  // OrderedMaps, which Decap turns into YAML in that order. Unknown keys keep their place after.
  function arrange(value, path) {
    if (!isCollection(value)) return value;
    if (isList(value)) {
      return value
        .map(function (item) {
          return arrange(item, path);
        })
        .filter(function (item) {
          return !isEmpty(item);
        });
    }
    var keys = form.keyOrder[path] || [];
    return value
      .map(function (item, key) {
        return arrange(item, path ? path + "." + key : key);
      })
      .filter(function (item) {
        return !isEmpty(item);
      })
      .sortBy(function (item, key) {
        var rank = keys.indexOf(key);
        return rank === -1 ? keys.length : rank;
      });
  }
  CMS.registerEventListener({
    name: "preSave",
    handler: function (event) {
      var entryData = event.entry.get("data");
      var body = entryData.get("body");
      var pruned = arrange(entryData, "");
      return body === undefined ? pruned : pruned.set("body", body);
    },
  });

  // Decap draws these without a name a screen reader can read out; name them as they appear.
  function nameControls() {
    var bars = document.querySelectorAll('[class*="StyledListItemTopBar"]');
    Array.prototype.forEach.call(bars, function (bar) {
      var buttons = bar.querySelectorAll(":scope > button");
      if (buttons.length && !buttons[0].hasAttribute("aria-label")) {
        buttons[0].setAttribute("aria-label", "項目を開く・閉じる");
      }
      var last = buttons[buttons.length - 1];
      if (buttons.length > 1 && !last.hasAttribute("aria-label")) {
        last.setAttribute("aria-label", "この項目を削除");
      }
      var handle = bar.querySelector(':scope > [aria-roledescription="sortable"]');
      if (handle && !handle.hasAttribute("aria-label")) {
        handle.setAttribute("aria-label", "ドラッグして並べ替え");
      }
    });
    var boxes = document.querySelectorAll('[data-slate-editor][role="textbox"]:not([aria-label])');
    Array.prototype.forEach.call(boxes, function (box) {
      box.setAttribute("aria-label", "本文（Markdown）");
    });
  }
  var pending = false;
  new MutationObserver(function () {
    if (pending) return;
    pending = true;
    window.requestAnimationFrame(function () {
      pending = false;
      nameControls();
    });
  }).observe(document.documentElement, { childList: true, subtree: true });
})();
