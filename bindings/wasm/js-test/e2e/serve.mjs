// A tiny static file server for the dashboard: serves bindings/wasm/ (demo/ and the built pkg/) on 127.0.0.1.
// Used by dashboard.test.mjs; run it by hand to look at the page: `node js-test/e2e/serve.mjs [port]`, then
// open http://127.0.0.1:<port>/demo/.
import { createReadStream, statSync } from "node:fs";
import { createServer } from "node:http";
import { extname, join, normalize, sep } from "node:path";
import { fileURLToPath } from "node:url";

const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json",
  ".wasm": "application/wasm",
  ".csv": "text/csv; charset=utf-8",
  ".jsonl": "application/jsonl; charset=utf-8",
  ".ts": "text/plain; charset=utf-8",
};

export const ROOT = fileURLToPath(new URL("../../", import.meta.url));

/** Serves `root` on 127.0.0.1:`port` (0: any free port). Resolves to `{ url, close() }`. */
export function serve(root = ROOT, port = 0) {
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url, "http://x").pathname);
    let file = normalize(join(root, path));
    if (!file.startsWith(normalize(root + sep)) && file !== normalize(root)) {
      res.writeHead(403).end();
      return;
    }
    try {
      if (statSync(file).isDirectory()) file = join(file, "index.html");
      statSync(file);
    } catch {
      res.writeHead(404, { "content-type": "text/plain" }).end("not found");
      return;
    }
    res.writeHead(200, { "content-type": TYPES[extname(file)] ?? "application/octet-stream", "cache-control": "no-store" });
    createReadStream(file).pipe(res);
  });
  return new Promise((resolve) => {
    server.listen(port, "127.0.0.1", () => {
      const { port: bound } = server.address();
      resolve({ url: `http://127.0.0.1:${bound}`, close: () => new Promise((r) => server.close(r)) });
    });
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { url } = await serve(ROOT, Number(process.argv[2] ?? 8000));
  console.log(`serving ${ROOT} at ${url}/demo/`);
}
