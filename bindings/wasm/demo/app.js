// The dashboard page: decodes codes, MQTT topics and JSON payloads as you type and counts the codes of a dropped
// log export. Uses the web build of the package's payload module (../pkg/payload/web, made by build.sh: the whole
// API and decodePayload) and nothing else; the DOM is built with textContent only, so text from a payload or a
// log file can never become markup.
import init, {
  AzureIotCodesError,
  catalogues,
  classifyRetry,
  decode,
  decodePayload,
  nextDelays,
} from "../pkg/payload/web/azure_iot_codes.js";
import { chartBars, countCodes } from "./logs.js";

const $ = (id) => document.getElementById(id);

/** `el("p", {class: "x"}, "text", child)`: an element with attributes and children (strings become text). */
function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v !== undefined && v !== null && v !== false) node.setAttribute(k, v === true ? "" : String(v));
  }
  for (const c of children.flat()) {
    if (c !== null && c !== undefined && c !== false) node.append(c instanceof Node ? c : String(c));
  }
  return node;
}

const SERVICE_NAMES = {
  "iot-hub": "IoT Hub",
  dps: "DPS",
  "iot-central": "IoT Central",
  "device-update": "Device Update",
};

const STANDING_TEXT = {
  current: null,
  observed: "observed, not documented",
  conflicting: "another source disagrees",
  historical: "older meaning",
  "doc-error": "listed by mistake in the docs",
};

const ERROR_TEXT = {
  empty: "Type a code.",
  malformed: "This does not look like a code.",
  "out-of-range": "This number is too large to be a code (more than 32 bits).",
  "not-found": "No catalogue has this code.",
  "unknown-catalogue": "Unknown catalogue.",
  "unknown-service": "Unknown service.",
  "too-large": "This text is far too long to be a code.",
  "too-deep": "This JSON nests deeper than a payload does (more than 64 levels).",
  truncated: "This payload is cut short: paste all of it.",
  "invalid-json": "This is not valid JSON.",
  "invalid-topic": "This is not a well-formed MQTT response topic or iothub-errorcode header.",
  "invalid-csv": "This CSV row does not match its header.",
  "unknown-shape": "This is not a payload shape the decoder knows.",
  "invalid-field": "A field of this payload has the wrong type or value.",
  "invalid-argument": "The page passed something the module does not accept.",
  internal: "The decoder failed on this input (a bug; please report it).",
};

/** What each payload kind is, in words; the identifiers are the package's `PayloadKind` union. */
const PAYLOAD_TEXT = {
  "dps-response-topic": "DPS response topic",
  "twin-response-topic": "Twin response topic",
  "method-response-topic": "Direct method response topic",
  "dps-error": "DPS error body",
  "dps-registration": "DPS registration response",
  "iot-hub-error": "IoT Hub error body",
  "error-body": "Error body",
  "error-code-header": "iothub-errorcode header",
  "device-update-agent": "Device Update agent properties",
  "iot-central-registration-info": "az iot central device registration-info output",
  "azure-diagnostics": "AzureDiagnostics log row",
};

/** The retry actions in words; the identifiers are the package's `RetryAction` union. */
const ACTION_TEXT = {
  none: "Nothing to do: this is not a failure.",
  retry: "Retry the same call",
  "re-register": "Provision again through DPS",
  "status-lookup": "Poll the DPS operation status",
  "renew-credentials": "Renew the credentials (SAS token or certificate), then retry",
  "fix-request": "Fix the request: retrying it unchanged cannot help.",
  "operator-action": "Someone must act first (in the service or on the device); do not retry until then.",
  "contact-support": "Contact support: the service keeps failing.",
  "give-up": "Give up: the retry budget is spent.",
};

// One jitter seed per page load: the delays shown stay put while you type, and differ between visits as a
// device's would.
const SEED = Math.floor(Math.random() * 2 ** 32);

/** `1.442 s`, `250 ms`. */
function duration(ms) {
  return ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(3).replace(/\.?0+$/, "")} s`;
}

const hex = (n, digits) => `0x${n.toString(16).toUpperCase().padStart(digits, "0")}`;
const named = (part) => (part.name ? `${part.code} ${part.name}` : `${part.code} (no name in any agent version)`);

/** The parts of a Device Update extended result code, as definition-list rows. */
function erc(m) {
  const rows = [
    ["Code", `${m.hex} = ${m.unsigned} unsigned = ${m.signed} signed (${m.layout} layout)`, "erc-code"],
    ["Facility", named(m.facility), "facility"],
    ["Component", m.component ? named(m.component) : "none in this layout", "component"],
    ["Value", `${m.value} (${hex(m.value, 1)})`, "value"],
    m.exitCode !== null ? ["Exit code", String(m.exitCode), "exit-code"] : null,
    m.errno ? ["errno", `${m.errno.code} ${m.errno.name}`, "errno"] : null,
    m.extensionCode ? ["Extension code", `${m.extensionCode.code} ${m.extensionCode.name}`, "extension-code"] : null,
    m.deliveryOptimization
      ? [
          "Delivery Optimization",
          [
            m.deliveryOptimization.hresult,
            m.deliveryOptimization.name,
            m.deliveryOptimization.httpStatus !== null ? `HTTP ${m.deliveryOptimization.httpStatus}` : null,
            m.deliveryOptimization.win32 !== null ? `Win32 ${m.deliveryOptimization.win32}` : null,
            m.deliveryOptimization.xplatErrno ? `maybe ${m.deliveryOptimization.xplatErrno}` : null,
          ]
            .filter(Boolean)
            .join(", "),
          "delivery-optimization",
        ]
      : null,
    m.deltaProcessorError !== null ? ["Delta processor error", String(m.deltaProcessorError), "delta"] : null,
  ];
  return rows.filter(Boolean).flatMap(([term, text, cls]) => [el("dt", {}, term), el("dd", { class: cls }, text)]);
}

/**
 * What to do next if this meaning is what a device got, with the delays of the attempts after it. `decided` is
 * the decision decodePayload already made for it (in the payload's context: its service, its Retry-After).
 */
function retryAdvice(m, service, decided) {
  const options = { seed: SEED };
  if (service) options.service = service;
  let d;
  let steps;
  try {
    d = decided ?? classifyRetry(m, options);
    steps = nextDelays(m, { ...options, service: d.service, count: 6 }).slice(1);
  } catch (e) {
    if (!(e instanceof AzureIotCodesError)) throw e;
    return null;
  }
  const head = d.delayMs !== null ? `${ACTION_TEXT[d.action]} after ${duration(d.delayMs)}.` : ACTION_TEXT[d.action];
  const later = steps.map((s) => (s.delayMs !== null ? `#${s.attempt} ${s.action} after ${duration(s.delayMs)}` : `#${s.attempt} ${s.action}`));
  return el(
    "div",
    { class: `retry action-${d.action}`, "data-action": d.action },
    el("p", { class: "retry-head" }, el("strong", {}, "Next action: "), el("span", { class: "retry-action" }, d.action), " – ", head),
    el("p", { class: "retry-reason" }, d.reason.charAt(0).toUpperCase() + d.reason.slice(1), " ", el("span", { class: "detail" }, `(rule ${d.rule}, ${SERVICE_NAMES[d.service] ?? d.service})`)),
    later.length ? el("p", { class: "retry-next detail" }, `If it fails again: ${later.join(", ")}.`) : null,
  );
}

/** A source (`owner/repo:path@commit`, a URL, several joined by ` | `) as links where it can be one. */
function sourceLinks(source) {
  const parts = source.split(" | ");
  const out = [];
  parts.forEach((part, i) => {
    if (i > 0) out.push(" · ");
    const repo = /^([\w.-]+\/[\w.-]+):([^@\s]+)@([0-9a-f]{7,40})$/.exec(part);
    let href = null;
    if (/^https:\/\//.test(part)) href = part;
    else if (repo) href = `https://github.com/${repo[1]}/blob/${repo[3]}/${repo[2]}`;
    out.push(href ? el("a", { href, rel: "noopener noreferrer", target: "_blank" }, part) : part);
  });
  return out;
}

/** One meaning as a card. */
function meaningCard(m, index, all, service) {
  const isErc = m.catalogue === "du-extended-result-code";
  const tags = [
    el("span", { class: "tag catalogue" }, m.catalogue),
    m.httpStatus !== null ? el("span", { class: "tag" }, `HTTP ${m.httpStatus}`) : null,
    m.services.length ? el("span", { class: "tag" }, m.services.map((s) => SERVICE_NAMES[s] ?? s).join(" · ")) : null,
    STANDING_TEXT[m.standing] ? el("span", { class: `tag standing ${m.standing}` }, STANDING_TEXT[m.standing]) : null,
    m.agentVersions.length ? el("span", { class: "tag versions" }, `agent ${m.agentVersions.join(", ")}`) : null,
  ];
  return el(
    "li",
    { class: "match" },
    el(
      "article",
      { "aria-label": `${m.code} ${m.name}` },
      el(
        "h4",
        {},
        el("span", { class: "code" }, isErc ? m.hex : String(m.code)),
        " ",
        el("span", { class: "name" }, m.name),
        index === 0 && all.length > 1 ? el("span", { class: "likely" }, "most likely") : null,
      ),
      el("p", { class: "tags" }, tags),
      el(
        "dl",
        {},
        isErc ? erc(m) : null,
        el("dt", {}, "Meaning"),
        el("dd", { class: "description" }, m.description),
        el("dt", {}, "What to do"),
        el("dd", { class: "mitigation" }, m.mitigation),
        m.action ? [el("dt", {}, "Agent action"), el("dd", {}, m.action)] : null,
        m.role ? [el("dt", {}, "Role needed"), el("dd", { class: "role" }, m.role)] : null,
        m.note ? [el("dt", {}, "Note"), el("dd", { class: "note" }, m.note)] : null,
        m.aliases.length ? [el("dt", {}, "Also written"), el("dd", {}, m.aliases.join(", "))] : null,
        el("dt", {}, "Source"),
        el("dd", { class: "source" }, sourceLinks(m.source)),
      ),
      retryAdvice(m, service, m.retry),
    ),
  );
}

/**
 * One input's result: a heading saying how the input was read, then every meaning (or why there is none).
 * Results are "groups" so that an input holding several codes (an MQTT topic, a JSON payload) can show one
 * group per code it carries.
 */
function resultGroup(input, options) {
  let decoded;
  try {
    decoded = decode(input, options);
  } catch (e) {
    if (!(e instanceof AzureIotCodesError)) throw e;
    return el(
      "section",
      { class: "group error", "data-kind": e.kind },
      el("h3", {}, el("q", {}, input.trim() || input)),
      el("p", { class: "error-text" }, ERROR_TEXT[e.kind] ?? e.message, " ", el("span", { class: "detail" }, `Expected ${e.expected}.`)),
    );
  }
  const n = decoded.number;
  const t = decoded.input.trim();
  // The core's rule: a comma, or 8 bare hex digits with a letter, is an extendedResultCodes string.
  const ercList = t.includes(",") || (/^[0-9a-f]{8}$/i.test(t) && /[a-f]/i.test(t));
  let read = "read as a name";
  if (n?.form === "signed") read = `read as the signed 32-bit number ${n.value | 0} (${hex(n.value, 8)})`;
  else if (n) read = `read as the ${n.form} number ${n.value}${n.form === "decimal" ? "" : ` (${hex(n.value, 1)})`}`;
  else if (ercList) read = "read as Device Update extended result codes";
  const count = decoded.matches.length;
  return el(
    "section",
    { class: "group" },
    el("h3", {}, el("q", {}, decoded.input.trim()), ` ${read}: ${count} meaning${count === 1 ? "" : "s"}`),
    el(
      "ol",
      { class: "matches" },
      decoded.matches.map((m, i, all) => meaningCard(m, i, all, options.service)),
    ),
  );
}

/** Whether the text is meant as one payload: a topic, a JSON body, a header line. */
function payloadShaped(text) {
  const t = text.trim();
  return /^[{[$]/.test(t) || /^iothub-errorcode\s*:/i.test(t);
}

/** The first characters of a pasted text, on one line, for a heading. */
function headline(text) {
  const flat = text.trim().replace(/\s+/g, " ");
  return flat.length > 72 ? `${flat.slice(0, 69)}...` : flat;
}

/** A payload's next action: the decision decodePayload made for the payload as a whole. */
function payloadAdvice(p) {
  if (!p.retry) return el("p", { class: "retry-head" }, "No code here to decide a next action on.");
  const d = p.retry;
  const head = d.delayMs !== null ? `${ACTION_TEXT[d.action]} after ${duration(d.delayMs)}.` : ACTION_TEXT[d.action];
  return el(
    "div",
    { class: `retry payload-retry action-${d.action}`, "data-action": d.action },
    el("p", { class: "retry-head" }, el("strong", {}, "Next action: "), el("span", { class: "retry-action" }, d.action), " – ", head),
    el("p", { class: "retry-reason" }, d.reason.charAt(0).toUpperCase() + d.reason.slice(1), " ", el("span", { class: "detail" }, `(rule ${d.rule}, ${SERVICE_NAMES[d.service] ?? d.service})`)),
  );
}

/** The codes a payload carries, each with its meanings in brief (or why it did not decode). */
function foundCodes(p) {
  return el(
    "ul",
    { class: "found-codes" },
    p.codes.map((c) =>
      el(
        "li",
        { class: "found-code", "data-field": c.field },
        el("code", {}, c.field),
        " = ",
        el("code", { class: "value" }, c.value),
        c.informational ? el("span", { class: "tag" }, "informational") : null,
        c.error
          ? el("span", { class: "error-text" }, ` ${ERROR_TEXT[c.error.kind] ?? c.error.message}`)
          : el("span", { class: "found-meaning" }, `: ${c.matches.map((m) => m.name).join(" or ")}`),
      ),
    ),
  );
}

/** Identifiers worth quoting to support, timestamps, and anything the decoder could not read. */
function payloadContext(p) {
  const rows = [];
  for (const [key, value] of Object.entries(p.context)) {
    if (key === "timestamps") {
      for (const t of value) rows.push([t.field, t.value]);
    } else {
      rows.push([key, value]);
    }
  }
  for (const w of p.warnings ?? []) rows.push(["warning", w]);
  if (rows.length === 0) return null;
  return el(
    "dl",
    { class: "payload-context" },
    rows.flatMap(([k, v]) => [el("dt", {}, k), el("dd", { "data-key": k }, v)]),
  );
}

/** Pasted az iot central output: what it reports, line by line. */
function centralSummary(c) {
  const found = c.findings.length;
  return [
    el(
      "p",
      { class: "central-summary" },
      `${c.lineCount} line${c.lineCount === 1 ? "" : "s"}: ${found} finding${found === 1 ? "" : "s"}, ` +
        `${c.events.length} telemetry event${c.events.length === 1 ? "" : "s"}, ` +
        `${c.unrecognised.length} line${c.unrecognised.length === 1 ? "" : "s"} not understood.`,
    ),
    found
      ? el(
          "ul",
          { class: "findings" },
          c.findings.map((f) =>
            el(
              "li",
              { class: `finding ${f.severity}` },
              el("strong", {}, f.meaning.name),
              ` (${f.severity}, line${f.lines.first === f.lines.last ? ` ${f.lines.first}` : `s ${f.lines.first}-${f.lines.last}`}`,
              f.deviceId ? `, device ${f.deviceId}` : "",
              "): ",
              f.meaning.description,
            ),
          ),
        )
      : null,
  ];
}

/** A whole payload (or pasted CLI output): what it is, the next action, its codes, then every meaning. */
function payloadGroup(text, options) {
  let doc;
  try {
    doc = decodePayload(text, { ...options, seed: SEED });
  } catch (e) {
    if (!(e instanceof AzureIotCodesError)) throw e;
    return el(
      "section",
      { class: "group error payload", "data-kind": e.kind },
      el("h3", {}, el("q", {}, headline(text))),
      el("p", { class: "error-text" }, ERROR_TEXT[e.kind] ?? e.message, " ", el("span", { class: "detail" }, e.message)),
    );
  }
  const p = doc.payload;
  const what = p
    ? `${PAYLOAD_TEXT[p.kind] ?? p.kind}${p.service ? ` from ${SERVICE_NAMES[p.service] ?? p.service}` : ""}`
    : doc.central
      ? "az iot central output"
      : "a code";
  const count = doc.matches.length;
  return el(
    "section",
    { class: "group payload", "data-payload-kind": p?.kind ?? (doc.central ? "central" : "code") },
    el(
      "h3",
      {},
      el("q", {}, headline(text)),
      ` read as ${what}`,
      p ? el("span", { class: `tag ${p.failure ? "failure" : "success"}` }, p.failure ? "failure" : "no failure") : null,
    ),
    p ? payloadAdvice(p) : null,
    p ? payloadContext(p) : null,
    p ? foundCodes(p) : null,
    doc.central ? centralSummary(doc.central) : null,
    el("p", { class: "detail" }, `${count} meaning${count === 1 ? "" : "s"}:`),
    el(
      "ol",
      { class: "matches" },
      doc.matches.map((m, i, all) => meaningCard(m, i, all, options.service)),
    ),
  );
}

function renderDecode() {
  const text = $("code-input").value;
  const options = {};
  if ($("catalogue-select").value) options.catalogue = $("catalogue-select").value;
  if ($("service-select").value) options.service = $("service-select").value;
  if ($("agent-select").value) options.agentVersion = $("agent-select").value;
  // A topic, a JSON body or a header is one payload; several lines can also be pasted az iot central output.
  // Otherwise each line is a code.
  if (payloadShaped(text)) {
    $("decode-result").replaceChildren(payloadGroup(text, options));
    return;
  }
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== "");
  if (lines.length > 1) {
    try {
      if (decodePayload(text, options).central) {
        $("decode-result").replaceChildren(payloadGroup(text, options));
        return;
      }
    } catch (e) {
      if (!(e instanceof AzureIotCodesError)) throw e;
    }
  }
  $("decode-result").replaceChildren(...lines.slice(0, 50).map((line) => resultGroup(line, options)));
}

// ---- log export ----

let counted = null;
// The last export, so that changing "Logs are from" counts it again.
let lastLog = null;

function showLog(text, name) {
  lastLog = { text, name };
  const service = $("log-service").value;
  const decodeFor = service ? (v) => decode(v, { service }) : (v) => decode(v);
  counted = countCodes(text, decodeFor);
  const fieldset = $("log-fields");
  fieldset.replaceChildren(el("legend", {}, "Fields counted"));
  for (const f of counted.fields) {
    const id = `field-${f.path.replace(/[^\w-]/g, "_")}`;
    const input = el("input", { type: "checkbox", id, value: f.path, checked: f.decoded > 0 });
    input.addEventListener("change", drawChart);
    fieldset.append(
      el(
        "div",
        { class: "check" },
        input,
        el("label", { for: id }, el("code", {}, f.path), ` ${f.decoded} of ${f.values} values decoded`),
      ),
    );
  }
  fieldset.hidden = counted.fields.length === 0;
  const what = `${name}: ${counted.records} record${counted.records === 1 ? "" : "s"} (${counted.format})`;
  const skipped = counted.skipped ? `, ${counted.skipped} line${counted.skipped === 1 ? "" : "s"} skipped (not JSON)` : "";
  const found = counted.fields.length
    ? `${counted.fields.length} code field${counted.fields.length === 1 ? "" : "s"} found.`
    : "No code fields found (looked for errorCode, statusCode, resultType, resultSignature, status, substatus, ...).";
  $("log-summary").replaceChildren(el("p", {}, `${what}${skipped}. ${found}`));
  drawChart();
}

function drawChart() {
  const figure = $("log-chart");
  if (!counted) return;
  const paths = new Set([...$("log-fields").querySelectorAll("input:checked")].map((i) => i.value));
  const bars = chartBars(counted, paths);
  figure.hidden = bars.length === 0;
  if (bars.length === 0) return;
  const max = bars[0].count;
  const total = bars.reduce((n, b) => n + b.count, 0);
  $("log-chart-caption").textContent = `${total} code${total === 1 ? "" : "s"} counted, ${bars.length} distinct, most frequent first`;
  $("log-bars").replaceChildren(
    ...bars.slice(0, 100).map((b) =>
      el(
        "tr",
        { class: "bar-row" },
        el("th", { scope: "row", class: "bar-code" }, el("span", { class: "code" }, String(b.meaning.code)), el("span", { class: "catalogue" }, b.meaning.catalogue)),
        el(
          "td",
          { class: "bar-cell" },
          el("span", { class: "bar", style: `--share: ${((b.count / max) * 100).toFixed(1)}%`, "aria-hidden": "true" }),
          el("span", { class: "count" }, String(b.count)),
        ),
        el("td", { class: "bar-meaning" }, el("strong", {}, b.meaning.name), " ", b.meaning.description),
      ),
    ),
  );
}

async function readFile(file) {
  try {
    showLog(await file.text(), file.name);
  } catch (e) {
    $("log-summary").replaceChildren(el("p", { class: "error-text" }, `Could not read ${file.name}: ${e.message}`));
  }
}

function wireLogInput() {
  const zone = $("drop-zone");
  const input = $("log-file");
  input.addEventListener("change", () => input.files[0] && readFile(input.files[0]));
  for (const type of ["dragenter", "dragover"]) {
    zone.addEventListener(type, (e) => {
      e.preventDefault();
      zone.classList.add("over");
    });
  }
  zone.addEventListener("dragleave", () => zone.classList.remove("over"));
  zone.addEventListener("drop", (e) => {
    e.preventDefault();
    zone.classList.remove("over");
    const file = e.dataTransfer?.files?.[0];
    if (file) readFile(file);
  });
  $("log-service").addEventListener("change", () => {
    if (lastLog) showLog(lastLog.text, lastLog.name);
  });
  for (const button of document.querySelectorAll("[data-sample]")) {
    button.addEventListener("click", async () => {
      const url = button.dataset.sample;
      // A sample knows where it comes from.
      $("log-service").value = button.dataset.service ?? "";
      const response = await fetch(url);
      showLog(await response.text(), url.split("/").pop());
    });
  }
}

async function main() {
  try {
    await init();
  } catch (e) {
    document.body.prepend(
      el("p", { class: "fatal", role: "alert" }, `The WebAssembly module did not load (${e.message}). Run bindings/wasm/build.sh first.`),
    );
    return;
  }
  const list = catalogues();
  const select = $("catalogue-select");
  for (const c of list) select.append(el("option", { value: c.id }, `${c.id} (${c.rows})`));
  $("catalogue-summary").textContent = `${list.length} catalogues, ${list.reduce((n, c) => n + c.rows, 0)} meanings.`;

  const form = $("decode-form");
  form.addEventListener("input", renderDecode);
  form.addEventListener("change", renderDecode);
  form.addEventListener("submit", (e) => e.preventDefault());
  for (const button of document.querySelectorAll("[data-example]")) {
    button.addEventListener("click", () => {
      $("code-input").value = button.dataset.example;
      renderDecode();
      $("code-input").focus();
    });
  }
  const fromUrl = new URLSearchParams(location.search).get("code");
  if (fromUrl) $("code-input").value = fromUrl;
  renderDecode();
  wireLogInput();
  document.documentElement.dataset.ready = "true";
}

main();
