// Reading a log export (CSV, JSON lines, a JSON array or Azure's {"records": [...]}) and counting the codes in
// it. No DOM here: the page (app.js) draws what `countCodes` returns, and js-test/logs.test.mjs tests it in Node.

/**
 * Field names that carry codes in Azure IoT logs and payloads, compared in lower case without `_`, `-` or
 * `.`: DPS and IoT Hub `errorCode`/`statusCode`, Azure Monitor `resultType`/`resultSignature`, DPS
 * `status`/`substatus`, MQTT `returnCode`, the `iothub-errorcode` header.
 */
const CODE_FIELDS = new Set([
  "code",
  "errorcode",
  "statuscode",
  "status",
  "substatus",
  "httpstatus",
  "httpstatuscode",
  "errorstatus",
  "resultcode",
  "resulttype",
  "resultsignature",
  "returncode",
  "connackcode",
  "iothuberrorcode",
  "xmserrorcode",
]);

/** Whether a field name (the last part of its path) is one that carries codes. */
export function isCodeField(name) {
  return CODE_FIELDS.has(String(name).toLowerCase().replace(/[-_.\s]/g, ""));
}

/**
 * Parses CSV (RFC 4180: quoted fields, doubled quotes, line breaks inside quotes). The delimiter is the one of
 * `,` `;` and tab that occurs most in the first line. Returns the rows as arrays of strings.
 */
export function parseCsv(text) {
  const firstLine = text.slice(0, text.search(/\r?\n|$/));
  const delimiter = [",", ";", "\t"]
    .map((d) => [d, firstLine.split(d).length])
    .reduce((best, next) => (next[1] > best[1] ? next : best))[0];
  const rows = [];
  let row = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') {
        quoted = false;
      } else {
        field += c;
      }
    } else if (c === '"' && field === "") {
      quoted = true;
    } else if (c === delimiter) {
      row.push(field);
      field = "";
    } else if (c === "\n" || c === "\r") {
      if (c === "\r" && text[i + 1] === "\n") i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = "";
    } else {
      field += c;
    }
  }
  if (field !== "" || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows.filter((r) => r.some((f) => f.trim() !== ""));
}

/**
 * Turns the text of an export into records (plain objects).
 * @returns {{ format: "json" | "json-lines" | "csv", records: object[], skipped: number }}
 *   `skipped`: lines of a JSON-lines file that are not JSON objects.
 */
export function parseLog(text) {
  const trimmed = text.trim();
  if (trimmed.startsWith("[") || trimmed.startsWith("{")) {
    try {
      const whole = JSON.parse(trimmed);
      const items = Array.isArray(whole) ? whole : Array.isArray(whole.records) ? whole.records : [whole];
      return { format: "json", records: items.filter(isObject), skipped: items.filter((x) => !isObject(x)).length };
    } catch {
      // Not one JSON document: JSON lines, one record per line.
    }
    const records = [];
    let skipped = 0;
    for (const line of trimmed.split(/\r?\n/)) {
      if (line.trim() === "") continue;
      try {
        const value = JSON.parse(line);
        if (isObject(value)) records.push(value);
        else skipped++;
      } catch {
        skipped++;
      }
    }
    return { format: "json-lines", records, skipped };
  }
  const [header = [], ...rows] = parseCsv(text);
  const records = rows.map((r) => Object.fromEntries(header.map((h, i) => [h.trim(), r[i] ?? ""])));
  return { format: "csv", records, skipped: 0 };
}

function isObject(v) {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/**
 * The code-like fields of a record, as [path, value] pairs. Nested objects are walked (`properties.errorCode`),
 * and so are strings holding a JSON object, as Azure Monitor writes `properties`.
 */
export function codeFields(record, prefix = "", depth = 0) {
  const found = [];
  if (depth > 8) return found;
  for (const [key, value] of Object.entries(record)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (isObject(value)) {
      found.push(...codeFields(value, path, depth + 1));
    } else if (typeof value === "string" && value.trimStart().startsWith("{")) {
      try {
        const inner = JSON.parse(value);
        if (isObject(inner)) found.push(...codeFields(inner, path, depth + 1));
      } catch {
        // A string that only looks like JSON: not a code either.
      }
    } else if ((typeof value === "number" || typeof value === "string") && isCodeField(key)) {
      if (String(value).trim() !== "") found.push([path, value]);
    }
  }
  return found;
}

/**
 * Counts the codes of an export, per field.
 * @param {string} text the file's text
 * @param {(input: string | number) => {matches: object[]}} decode the module's `decode` (with any options
 *   already applied); a value it throws on is not a code
 * @returns {{
 *   format: string, records: number, skipped: number,
 *   fields: {path: string, values: number, decoded: number, codes: Map<string, Bar>, undecoded: Map<string, number>}[]
 * }} fields sorted by how many values they decoded, most first. A Bar is
 *   `{key, count, meaning, inputs}`: `meaning` is the code's most likely meaning, `inputs` its spellings seen.
 */
export function countCodes(text, decode) {
  const { format, records, skipped } = parseLog(text);
  const cache = new Map();
  const decodeOnce = (value) => {
    const key = typeof value === "number" ? `n:${value}` : `s:${value.trim()}`;
    if (!cache.has(key)) {
      let meaning = null;
      try {
        meaning = decode(value).matches[0];
      } catch {
        // Not a code (e.g. "Failure" in resultType): counted as undecoded.
      }
      cache.set(key, meaning);
    }
    return cache.get(key);
  };
  const fields = new Map();
  for (const record of records) {
    for (const [path, value] of codeFields(record)) {
      let field = fields.get(path);
      if (!field) {
        field = { path, values: 0, decoded: 0, codes: new Map(), undecoded: new Map() };
        fields.set(path, field);
      }
      field.values++;
      const meaning = decodeOnce(value);
      if (meaning === null) {
        const v = String(value);
        field.undecoded.set(v, (field.undecoded.get(v) ?? 0) + 1);
        continue;
      }
      field.decoded++;
      const key = `${meaning.catalogue} ${meaning.code}`;
      const bar = field.codes.get(key) ?? { key, count: 0, meaning, inputs: [] };
      bar.count++;
      if (!bar.inputs.includes(String(value))) bar.inputs.push(String(value));
      field.codes.set(key, bar);
    }
  }
  return {
    format,
    records: records.length,
    skipped,
    fields: [...fields.values()].sort((a, b) => b.decoded - a.decoded || a.path.localeCompare(b.path)),
  };
}

/**
 * The bars of the chart: counts by code over the fields in `paths`, highest first (ties by code).
 * @returns {{key: string, count: number, meaning: object, inputs: string[]}[]}
 */
export function chartBars(counted, paths) {
  const merged = new Map();
  for (const field of counted.fields) {
    if (!paths.has(field.path)) continue;
    for (const bar of field.codes.values()) {
      const into = merged.get(bar.key) ?? { key: bar.key, count: 0, meaning: bar.meaning, inputs: [] };
      into.count += bar.count;
      for (const input of bar.inputs) if (!into.inputs.includes(input)) into.inputs.push(input);
      merged.set(bar.key, into);
    }
  }
  return [...merged.values()].sort((a, b) => b.count - a.count || a.key.localeCompare(b.key, "en", { numeric: true }));
}
