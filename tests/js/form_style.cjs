#!/usr/bin/env node
// Writes group files the way the web form (Decap CMS 3.x) writes them, with the very libraries
// Decap's front-matter formatter uses (decap-cms-core's gray-matter and yaml 1.x): parse the YAML
// 1.2 way, sort the top-level keys in the form's field order, print with yaml's defaults.
// A file already in this style is left byte-for-byte as it is when the form saves it unchanged,
// so an edit in the form changes only the lines of the edited value.
//
//   node tests/js/form_style.cjs --check groups/*.md   lists the files not in the form's style
//   node tests/js/form_style.cjs --write groups/*.md   rewrites them in it
"use strict";
const fs = require("fs");
const path = require("path");

const root = path.resolve(__dirname, "..", "..");
const core = path.join(root, "node_modules", "decap-cms-core");
function fromCore(name) {
  return require(require.resolve(name, { paths: [core] }));
}
const matter = fromCore("gray-matter");
const yaml = fromCore("yaml");


const config = yaml.parse(fs.readFileSync(path.join(root, "content", "admin", "config.yml"), "utf8"));
const order = config.collections[0].fields.map((f) => f.name);
// Each mapping's keys in the form's order, as the portal's civic-cms.js puts them before saving.
const keyOrder = {};
(function walk(fields, prefix) {
  keyOrder[prefix] = fields.map((f) => f.name);
  for (const f of fields) if (f.fields) walk(f.fields, prefix ? `${prefix}.${f.name}` : f.name);
})(config.collections[0].fields, "");

function isEmpty(v) {
  return v === undefined || v === null || (typeof v === "string" && v.trim() === "") ||
    (typeof v === "object" && !(v instanceof Date) && Object.keys(v).length === 0);
}
function arrange(value, path) {
  if (Array.isArray(value)) return value.map((v) => arrange(v, path)).filter((v) => !isEmpty(v));
  if (!value || typeof value !== "object") return value;
  const keys = keyOrder[path] || [];
  const rank = (k) => (keys.indexOf(k) === -1 ? keys.length : keys.indexOf(k));
  const out = {};
  for (const k of Object.keys(value).sort((a, b) => rank(a) - rank(b))) {
    const v = arrange(value[k], path ? `${path}.${k}` : k);
    if (!isEmpty(v)) out[k] = v;
  }
  return out;
}

function sortKeys(a, b) {
  const ia = order.indexOf(a.key && a.key.toString());
  const ib = order.indexOf(b.key && b.key.toString());
  if (ia === -1 || ib === -1) return 0;
  return ia - ib;
}
const engine = {
  parse: (input) => {
    const doc = yaml.parseDocument(input, { prettyErrors: true });
    if (doc.errors.length) throw new Error(doc.errors.map((e) => e.message).join("\n"));
    return doc.toJSON();
  },
  stringify: (data) => {
    const contents = yaml.createNode(arrange(data, ""));
    contents.items.sort(sortKeys);
    const doc = new yaml.Document();
    doc.contents = contents;
    return doc.toString();
  },
};

function formStyle(text) {
  const parsed = matter(text, { engines: { yaml: engine }, language: "yaml", delimiters: "---" });
  const body = parsed.content;
  const out = matter.stringify(body, parsed.data, {
    engines: { yaml: engine },
    language: "yaml",
    delimiters: "---",
  });
  return body.slice(-1) !== "\n" && out.slice(-1) === "\n" ? out.slice(0, -1) : out;
}

const [mode, ...files] = process.argv.slice(2);
let differ = 0;
for (const file of files) {
  const text = fs.readFileSync(file, "utf8");
  const styled = formStyle(text);
  if (styled === text) continue;
  differ += 1;
  if (mode === "--write") fs.writeFileSync(file, styled);
  else console.log(file);
}
process.exitCode = mode === "--check" && differ ? 1 : 0;
