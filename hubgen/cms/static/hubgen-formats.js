/* Decap CMS file formats that keep the rest of an edited file as it was.

   Decap's own formats print a saved entry afresh: a profile's comments, blank lines, key order
   and quoting are lost, so a one-field edit rewrites the whole file. These formats carry the
   file's text through the entry (in SOURCE, a key no form field shows) and, on save, rewrite
   only the values the form changed, in place in that text: every other byte stays. A new file is
   printed as usual. The YAML library is eemeli/yaml's browser build (the one that keeps
   comments), pinned and served from /admin/yaml/ like Decap itself.

   An ES module: it registers the formats, then starts Decap (hubgen-manual-init.js stopped it
   starting by itself), so no entry is ever read before the formats exist. */
import { Document, isMap, isScalar, isSeq, parseDocument, stringify } from "./yaml/index.js";

export const SOURCE = "__hubgen_source";
// A long line stays one line, as partners wrote it; [a, b] is written as people write it.
const PRINT = { lineWidth: 0, flowCollectionPadding: false };
const QUOTED = ["QUOTE_DOUBLE", "QUOTE_SINGLE"];

function plainObject(value) {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

function empty(value) {
  return (
    value === undefined || value === null || value === "" ||
    (Array.isArray(value) && value.length === 0) ||
    (plainObject(value) && Object.keys(value).every((key) => empty(value[key])))
  );
}

function same(a, b) {
  if (empty(a) && empty(b)) {
    return true;
  }
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length &&
      a.every((item, i) => same(item, b[i]));
  }
  if (plainObject(a) || plainObject(b)) {
    if (!plainObject(a) || !plainObject(b)) {
      return false;
    }
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    return [...keys].every((key) => same(a[key], b[key]));
  }
  return a === b;
}

function parse(text) {
  const doc = parseDocument(text);
  if (doc.errors.length > 0) {
    throw new Error("YAML parsing error:\n" + doc.errors.map((e) => e.message).join("\n"));
  }
  return doc;
}

function ordered(values, sortedKeys) {
  const order = sortedKeys || [];
  const rank = (key) => (order.indexOf(key) < 0 ? order.length : order.indexOf(key));
  const result = {};
  Object.keys(values)
    .filter((key) => key !== SOURCE && values[key] !== undefined)
    .sort((a, b) => rank(a) - rank(b))
    .forEach((key) => {
      result[key] = values[key];
    });
  return result;
}

function fresh(values, sortedKeys) {
  const data = ordered(values, sortedKeys);
  return Object.keys(data).length ? stringify(data, PRINT) : "";
}

function columnOf(text, offset) {
  return offset - (text.lastIndexOf("\n", offset - 1) + 1);
}

/* `key: value` printed at the column the key sits at; a string keeps its old quotes. */
function printPair(key, value, oldNode, indent) {
  const doc = new Document({ [key]: value });
  const item = doc.contents.items[0];
  if (isScalar(item.value) && isScalar(oldNode) && typeof value === "string" &&
      QUOTED.includes(oldNode.type)) {
    item.value.type = oldNode.type;
  }
  // A block scalar (|) would swallow what follows the old value on its line (a comment) as
  // text: a new multi-line string takes one double-quoted line, unless the old value was a block.
  if (isScalar(item.value) && oldNode && typeof value === "string" && value.includes("\n") &&
      !(isScalar(oldNode) && String(oldNode.type).startsWith("BLOCK"))) {
    item.value.type = "QUOTE_DOUBLE";
  }
  if (isSeq(item.value) && isSeq(oldNode) && oldNode.flow) {
    item.value.flow = true; // [a, b] stays on one line
  }
  const text = doc.toString(PRINT).replace(/\n+$/, "");
  const pad = " ".repeat(indent);
  return text.split("\n").map((line, i) => (i && line ? pad + line : line)).join("\n");
}

function keyOf(pair) {
  return isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
}

function pairEnd(pair, text) {
  if (pair.value && pair.value.range) {
    return pair.value.range[1];
  }
  return text.indexOf(":", pair.key.range[1]) + 1;
}

/* The edits (start, end, text) that turn `map` (parsed from `text`) into `values`. */
function editMap(doc, map, values, text, edits) {
  const seen = new Set();
  for (const pair of map.items) {
    if (!pair.key || !pair.key.range) {
      continue;
    }
    const key = keyOf(pair);
    seen.add(key);
    const before = pair.value ? pair.value.toJS(doc) : null;
    const after = values[key];
    if (same(before, after)) {
      continue;
    }
    const start = pair.key.range[0];
    const end = pairEnd(pair, text);
    if (after === undefined) {
      // The field was removed: its lines go (a key alone on its line only).
      const lineStart = text.lastIndexOf("\n", start - 1) + 1;
      if (text.slice(lineStart, start).trim() === "") {
        const stop = text[end] === "\n" ? end + 1 : end;
        edits.push({ start: lineStart, end: stop, text: "" });
        continue;
      }
    }
    if (isMap(pair.value) && !pair.value.flow && plainObject(after)) {
      editMap(doc, pair.value, after, text, edits);
      continue;
    }
    if (isSeq(pair.value) && !pair.value.flow && Array.isArray(after) &&
        after.length === pair.value.items.length &&
        pair.value.items.every((item, i) => isMap(item) && plainObject(after[i]))) {
      pair.value.items.forEach((item, i) => editMap(doc, item, after[i], text, edits));
      continue;
    }
    const old = text.slice(start, end);
    const trailing = old.match(/\n*$/)[0];
    const printed = printPair(key, after === undefined ? null : after, pair.value, columnOf(text, start));
    edits.push({ start, end, text: printed + trailing });
  }
  const added = Object.keys(values).filter(
    (key) => key !== SOURCE && !seen.has(key) && !empty(values[key]),
  );
  if (added.length > 0) {
    const first = map.items.find((pair) => pair.key && pair.key.range);
    const indent = first ? columnOf(text, first.key.range[0]) : 0;
    const at = map.range ? map.range[1] : text.length;
    const lines = added.map((key) => " ".repeat(indent) + printPair(key, values[key], null, indent));
    const atLineStart = at === 0 || text[at - 1] === "\n";
    edits.push({
      start: at, end: at,
      text: atLineStart ? lines.join("\n") + "\n" : "\n" + lines.join("\n"),
    });
  }
}

/* `text` with only the changed values rewritten; a text that is not a mapping is printed afresh. */
export function patchYaml(text, values, sortedKeys) {
  const doc = parse(text);
  if (!isMap(doc.contents) || doc.contents.flow) {
    return fresh(values, sortedKeys);
  }
  const edits = [];
  editMap(doc, doc.contents, values, text, edits);
  edits.sort((a, b) => b.start - a.start);
  let result = text;
  for (const edit of edits) {
    result = result.slice(0, edit.start) + edit.text + result.slice(edit.end);
  }
  return result;
}

export function readYaml(text) {
  const data = parse(text).toJS() || {};
  if (!plainObject(data)) {
    throw new Error("YAML parsing error:\nthe file is not a mapping of fields");
  }
  data[SOURCE] = text;
  return data;
}

export function writeYaml(data, sortedKeys) {
  const source = data[SOURCE];
  return typeof source === "string" ? patchYaml(source, data, sortedKeys) : fresh(data, sortedKeys);
}

const OPEN = /^---[ \t]*\r?\n/;
const CLOSE = /^---[ \t]*(?:\r?\n|$)/m;

function splitFront(text) {
  const open = text.match(OPEN);
  if (!open) {
    return null;
  }
  const rest = text.slice(open[0].length);
  const close = rest.match(CLOSE);
  if (!close) {
    return null;
  }
  return {
    open: open[0],
    front: rest.slice(0, close.index),
    close: close[0],
    body: rest.slice(close.index + close[0].length),
  };
}

function withNewline(text) {
  return text === "" || text.endsWith("\n") ? text : text + "\n";
}

/* Markdown with YAML front matter: the body is kept byte for byte unless it was edited. */
export function readFrontMatter(text) {
  const parts = splitFront(text);
  const data = parts ? parse(parts.front).toJS() || {} : {};
  if (!plainObject(data)) {
    throw new Error("YAML parsing error:\nthe front matter is not a mapping of fields");
  }
  data.body = parts ? parts.body : text;
  data[SOURCE] = text;
  return data;
}

export function writeFrontMatter(data, sortedKeys) {
  const { body = "", ...meta } = data;
  const parts = typeof data[SOURCE] === "string" ? splitFront(data[SOURCE]) : null;
  if (!parts) {
    return "---\n" + fresh(meta, sortedKeys) + "---\n" + withNewline(body || "");
  }
  const front = withNewline(patchYaml(parts.front, meta, sortedKeys));
  const kept = same(body, parts.body) ? parts.body : withNewline(body || "");
  return parts.open + front + parts.close + kept;
}

const CMS = typeof window === "undefined" ? undefined : window.CMS;
if (CMS) {
  CMS.registerCustomFormat("hubgen-yaml", "yml", { fromFile: readYaml, toFile: writeYaml });
  CMS.registerCustomFormat("hubgen-frontmatter", "md", {
    fromFile: readFrontMatter,
    toFile: writeFrontMatter,
  });
  CMS.init();
}
