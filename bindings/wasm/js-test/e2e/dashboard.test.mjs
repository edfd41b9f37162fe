// End-to-end: the dashboard page (demo/) served on 127.0.0.1, driven in Debian's headless Chromium with
// playwright-core. Types codes, drops log exports, checks what is rendered, and saves screenshots under
// target/wasm-e2e/. Run by test.sh with `node --test`.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";
import { ROOT, serve } from "./serve.mjs";

const CHROMIUM = process.env.CHROMIUM ?? "/usr/bin/chromium";
const shots = fileURLToPath(new URL("../../../../target/wasm-e2e/", import.meta.url));
// The Node build of the same package, to know what the page should show.
const codes = createRequire(import.meta.url)("../../pkg/node/azure_iot_codes.js");
// The page uses the payload module (the same API and decodePayload).
const payloads = createRequire(import.meta.url)("../../pkg/payload/node/azure_iot_codes.js");

let server;
let context;
let profile;
const problems = [];

before(async () => {
  mkdirSync(shots, { recursive: true });
  server = await serve(ROOT);
  profile = mkdtempSync(join(tmpdir(), "azure-iot-codes-e2e-"));
  context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
    ],
    viewport: { width: 1280, height: 900 },
  });
});

after(async () => {
  await context?.close();
  await server?.close();
  if (profile) rmSync(profile, { recursive: true, force: true });
});

async function openDashboard(viewport) {
  const page = await context.newPage();
  if (viewport) await page.setViewportSize(viewport);
  page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
  page.on("console", (m) => m.type() === "error" && problems.push(`console: ${m.text()}`));
  await page.goto(`${server.url}/demo/`);
  await page.waitForSelector("html[data-ready=true]", { timeout: 15_000 });
  return page;
}

async function dropFile(page, name, text, type) {
  const transfer = await page.evaluateHandle(
    ([name, text, type]) => {
      const dt = new DataTransfer();
      dt.items.add(new File([text], name, { type }));
      return dt;
    },
    [name, text, type],
  );
  const zone = page.locator("#drop-zone");
  await zone.dispatchEvent("dragenter", { dataTransfer: transfer });
  await zone.dispatchEvent("dragover", { dataTransfer: transfer });
  await zone.dispatchEvent("drop", { dataTransfer: transfer });
}

async function bars(page) {
  return page.locator("#log-bars tr").evaluateAll((rows) =>
    rows.map((r) => ({
      code: r.querySelector(".bar-code .code").textContent,
      count: Number(r.querySelector(".count").textContent),
      width: r.querySelector(".bar").getBoundingClientRect().width,
      meaning: r.querySelector(".bar-meaning").textContent,
    })),
  );
}

test("typing a code shows its meaning, mitigation and source", async () => {
  const page = await openDashboard();
  const input = page.getByLabel("Codes, one per line");
  await input.fill("");
  await input.pressSequentially("401002", { delay: 20 });
  const expected = codes.decode("401002").matches;
  const cards = page.locator("#decode-result .match");
  await assert.doesNotReject(cards.first().waitFor());
  assert.equal(await cards.count(), expected.length);
  const first = cards.first();
  assert.equal(await first.locator(".name").textContent(), "IotHubUnauthorizedAccess");
  assert.equal(await first.locator(".description").textContent(), expected[0].description);
  assert.equal(await first.locator(".mitigation").textContent(), expected[0].mitigation);
  assert.match(await first.locator(".source").textContent(), /troubleshoot-error-codes\.md/);
  assert.match(await page.locator("#decode-result h3").first().textContent(), /read as the decimal number 401002/);

  // A typo shows why, and the next keystrokes decode again.
  await input.fill("4o4");
  await page.waitForSelector('#decode-result .group.error[data-kind="malformed"]');
  await input.fill("0x1AD");
  await page.waitForSelector("#decode-result .match");
  assert.match(await page.locator("#decode-result h3").first().textContent(), /hex number 429/);

  // Narrowing by service with the keyboard only.
  await input.fill("401");
  await page.getByLabel("Service").focus();
  await page.keyboard.press("ArrowDown"); // Chromium's closed <select>: the next option, IoT Hub
  await page.waitForFunction(() => document.querySelectorAll("#decode-result .match").length === 1);
  assert.match(await page.locator("#decode-result .match .tags").textContent(), /IoT Hub/);
  await page.screenshot({ path: join(shots, "dashboard-decode.png"), fullPage: true });
  await page.close();
});

test("a Device Update code shows facility, component, value and the next action", async () => {
  const page = await openDashboard();
  const input = page.getByLabel("Codes, one per line");
  await input.fill("");
  await input.pressSequentially("-536870781", { delay: 20 });
  const expected = codes.decode("-536870781").matches;
  const cards = page.locator("#decode-result .match");
  await page.waitForFunction(() => document.querySelector("#decode-result h3")?.textContent.includes("(0xE0000083)"));
  assert.equal(await cards.count(), expected.length);
  assert.match(await page.locator("#decode-result h3").first().textContent(), /signed 32-bit number -536870781 \(0xE0000083\)/);
  // The 0.6/0.7 reading, then the 0.8+ reading of the same bits.
  const [legacy, current] = [cards.nth(0), cards.nth(1)];
  assert.equal(await legacy.locator(".name").textContent(), "ADUC_ERC_NOTRECOVERABLE");
  assert.equal(await legacy.locator(".code").first().textContent(), "0xE0000083");
  assert.equal(await legacy.locator("dd.facility").textContent(), "14 ADUC_FACILITY_ERRNO");
  assert.equal(await legacy.locator("dd.component").textContent(), "none in this layout");
  assert.equal(await legacy.locator("dd.value").textContent(), "131 (0x83)");
  assert.equal(await legacy.locator("dd.errno").textContent(), "131 ENOTRECOVERABLE");
  assert.equal(await current.locator("dd.facility").textContent(), `14 ${expected[1].facility.name}`);
  assert.equal(await current.locator("dd.component").textContent(), "0 (no name in any agent version)");
  assert.equal(await current.locator("dd.value").textContent(), "131 (0x83)");
  // The retry advice is the package's classification of each match.
  for (const [i, m] of expected.entries()) {
    const advice = cards.nth(i).locator(".retry");
    assert.equal(await advice.getAttribute("data-action"), codes.classifyRetry(m).action);
    assert.equal(await advice.locator(".retry-action").textContent(), "operator-action");
  }
  assert.match(await legacy.locator(".retry-reason").textContent(), /redeploy the update/);
  await page.screenshot({ path: join(shots, "dashboard-device-update.png"), fullPage: true });

  // Narrowed to agent 1.1.0 with the keyboard, only the current-layout reading is left.
  await page.getByLabel("Device Update agent").focus();
  await page.keyboard.press("ArrowDown"); // the first version listed, 1.1.0
  await page.waitForFunction(() => document.querySelectorAll("#decode-result .match").length === 1);
  assert.equal(await cards.first().locator("dd.component").textContent(), "0 (no name in any agent version)");

  // A transient Delivery Optimization failure (HTTP 503) waits and retries.
  await page.getByLabel("Device Update agent").selectOption("");
  await input.fill("0xD01901F7");
  await page.waitForSelector('#decode-result .retry[data-action="retry"]');
  const first = cards.first();
  assert.match(await first.locator("dd.delivery-optimization").textContent(), /^0x801901F7, .*HTTP 503/);
  assert.match(await first.locator(".retry-head").textContent(), /^Next action: retry – Retry the same call after \d+(\.\d+)? m?s\.$/);
  assert.match(await first.locator(".retry-next").textContent(), /^If it fails again: #2 retry after /);
  await page.close();
});

test("typing a JSON payload shows what it is, the next action, its codes and their meaning", async () => {
  const page = await openDashboard();
  const input = page.getByLabel("Codes, one per line");
  const body =
    '{"errorCode":401002,"trackingId":"0f0e0d0c-0b0a-0908-0706-050403020100",' +
    '"message":"Invalid certificate","timestampUtc":"2025-01-02T03:06:00Z"}';
  await input.fill("");
  await input.pressSequentially(body.slice(0, 20), { delay: 10 });
  // While the JSON is incomplete the page says so.
  await page.waitForSelector('#decode-result .group.error[data-kind="truncated"]');
  assert.match(await page.locator("#decode-result .error-text").textContent(), /cut short/);
  await input.pressSequentially(body.slice(20), { delay: 5 });
  const group = page.locator('#decode-result .group[data-payload-kind="dps-error"]');
  await group.waitFor();
  const expected = payloads.decodePayload(body, { seed: 0 });
  assert.match(await group.locator("h3").textContent(), /read as DPS error body from DPS/);
  assert.equal(await group.locator("h3 .tag.failure").textContent(), "failure");
  // The payload's next action, its tracking id, the code found and what it means.
  assert.equal(await group.locator(".payload-retry .retry-action").textContent(), "renew-credentials");
  assert.equal(expected.payload.retry.action, "renew-credentials");
  assert.equal(await group.locator('.payload-context dd[data-key="trackingId"]').textContent(), "0f0e0d0c-0b0a-0908-0706-050403020100");
  assert.match(await group.locator('.found-code[data-field="errorCode"]').textContent(), /errorCode = 401002: IotHubUnauthorizedAccess/);
  const cards = group.locator(".match");
  assert.equal(await cards.count(), expected.matches.length);
  const first = cards.first();
  assert.equal(await first.locator(".name").textContent(), "IotHubUnauthorizedAccess");
  assert.equal(await first.locator(".description").textContent(), expected.matches[0].description);
  assert.equal(await first.locator(".mitigation").textContent(), expected.matches[0].mitigation);
  assert.equal(await first.locator(".retry-action").textContent(), expected.matches[0].retry.action);
  await page.screenshot({ path: join(shots, "dashboard-payload.png"), fullPage: true });

  // A DPS topic: the delay its retry-after asks for.
  await input.fill("$dps/registrations/res/429/?$rid=7&retry-after=5");
  await page.waitForSelector('#decode-result .group[data-payload-kind="dps-response-topic"]');
  assert.match(await page.locator("#decode-result .payload-retry .retry-head").textContent(), /after 5 s/);
  // Pasted az iot central output.
  await input.fill(readFileSync(join(ROOT, "../../tests/fixtures/central/validate-messages-datatype.txt"), "utf8"));
  await page.waitForSelector('#decode-result .group[data-payload-kind="central"]');
  assert.match(await page.locator("#decode-result .findings").textContent(), /DatatypeMismatch/);
  // Back to codes, one per line.
  await input.fill("401002\n404001");
  await page.waitForFunction(() => document.querySelectorAll("#decode-result .group").length === 2);
  await page.close();
});

test("example buttons work from the keyboard", async () => {
  const page = await openDashboard();
  const button = page.getByRole("button", { name: "DEVICE_DISABLED" });
  await button.focus();
  await page.keyboard.press("Enter");
  await page.waitForFunction(() => document.querySelector("#code-input").value === "DEVICE_DISABLED");
  assert.equal(await page.locator("#decode-result .match .tag.catalogue").first().textContent(), "auth-suberror");
  await page.close();
});

test("a code in the URL (?code=) is decoded on load", async () => {
  const page = await context.newPage();
  await page.goto(`${server.url}/demo/?code=404103`);
  await page.waitForSelector("html[data-ready=true]");
  assert.equal(await page.locator("#code-input").inputValue(), "404103");
  assert.equal(await page.locator("#decode-result .match .name").first().textContent(), "DeviceNotOnline");
  await page.close();
});

test("every form control has a label", async () => {
  const page = await openDashboard();
  const unlabelled = await page.evaluate(() =>
    [...document.querySelectorAll("input, select, textarea, button")]
      .filter((e) => (e.labels?.length ?? 0) === 0 && !e.getAttribute("aria-label") && e.textContent.trim() === "")
      .map((e) => e.outerHTML),
  );
  assert.deepEqual(unlabelled, []);
  await page.close();
});

test("dropping a CSV export draws one bar per code, meaning beside it", async () => {
  const page = await openDashboard();
  await page.getByLabel("Logs are from").selectOption("iot-hub");
  const csv = readFileSync(join(ROOT, "demo/samples/iothub-connections.csv"), "utf8");
  await dropFile(page, "iothub-connections.csv", csv, "text/csv");
  await page.waitForSelector("#log-chart:not([hidden]) #log-bars tr");
  const got = await bars(page);
  assert.deepEqual(
    got.map((b) => [b.code, b.count]),
    [
      ["404104", 3],
      ["401003", 2],
      ["403002", 1],
    ],
  );
  assert.match(got[0].meaning, /^DeviceConnectionClosedRemotely /);
  assert.ok(got[0].meaning.includes(codes.decode("404104").matches[0].description));
  // Bar lengths follow the counts.
  assert.ok(got[0].width > got[1].width && got[1].width > got[2].width, JSON.stringify(got));
  assert.ok(Math.abs(got[1].width / got[0].width - 2 / 3) < 0.05);
  assert.match(await page.locator("#log-summary").textContent(), /7 records \(csv\)/);
  // "Success" in ResultType is not a code, and is reported as such.
  assert.match(await page.locator("#log-fields").textContent(), /ResultType 6 of 7 values decoded/);
  await page.screenshot({ path: join(shots, "dashboard.png"), fullPage: true });
  await page.close();
});

test("dropping a JSON-lines export finds codes inside nested JSON; fields can be switched off", async () => {
  const page = await openDashboard();
  await page.getByLabel("Logs are from").selectOption("dps");
  const jsonl = readFileSync(join(ROOT, "demo/samples/dps-diagnostics.jsonl"), "utf8");
  await dropFile(page, "dps-diagnostics.jsonl", jsonl, "application/jsonl");
  await page.waitForSelector("#log-bars tr");
  assert.equal((await bars(page)).length, 8);
  // Only the six-digit codes in properties.errorCode.
  await page.getByLabel(/resultSignature/).uncheck();
  await page.waitForFunction(() => document.querySelectorAll("#log-bars tr").length === 4);
  assert.deepEqual(
    (await bars(page)).map((b) => [b.code, b.count]),
    [
      ["401002", 5],
      ["409203", 3],
      ["404201", 2],
      ["400209", 1],
    ],
  );
  await page.close();
});

test("readable on a narrow screen: no sideways scrolling", async () => {
  const page = await openDashboard({ width: 360, height: 780 });
  await page.getByLabel("Codes, one per line").fill("404103");
  await page.waitForSelector("#decode-result .match");
  await page.getByRole("button", { name: /IoT Hub sample/ }).click();
  await page.waitForSelector("#log-bars tr");
  // The sample says where it comes from, so "Success" is not counted as a Device Update result.
  assert.equal(await page.locator("#log-service").inputValue(), "iot-hub");
  assert.match(await page.locator("#log-fields").textContent(), /ResultType 6 of 7 values decoded/);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  assert.ok(overflow <= 0, `page is ${overflow}px wider than the screen`);
  await page.screenshot({ path: join(shots, "dashboard-narrow.png"), fullPage: true });
  await page.locator("#decode-result").screenshot({ path: join(shots, "dashboard-narrow-decode.png") });
  await page.locator("#log-chart").screenshot({ path: join(shots, "dashboard-narrow-chart.png") });
  await page.close();
});

test("no errors in the page or its console", () => {
  assert.deepEqual(problems, []);
});
