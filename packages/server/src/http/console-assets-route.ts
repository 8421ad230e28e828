/**
 * Serves the web console's built files (`@castellan/console`'s `dist/`) under `/console/`, with a
 * strict Content-Security-Policy: scripts, styles and API calls from this origin only, no inline
 * script, no framing. The console has no API of its own: it calls `POST /` (IAM, STS, CloudTrail)
 * with its session cookie like any client, so these routes only hand out static files.
 *
 * @module
 */
import { readdir, readFile } from 'node:fs/promises';
import { extname, join, relative, sep } from 'node:path';
import type { Hono } from 'hono';
import type { PeerBindings } from './create-app.js';

/** The console's policy: everything from this origin only, images also as `data:` (the MFA QR code). */
export const CONSOLE_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "manifest-src 'self'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.txt': 'text/plain; charset=utf-8',
  '.woff2': 'font/woff2',
};

/** Headers every console response carries. */
const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'Content-Security-Policy': CONSOLE_CSP,
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
  'Permissions-Policy': 'camera=(), microphone=(), geolocation=()',
};

interface Asset {
  body: Uint8Array;
  type: string;
}

/** Reads every file under `dir` once: the build is small, and nothing is looked up by a path the client chose. */
async function loadAssets(dir: string): Promise<Map<string, Asset> | undefined> {
  let entries: string[];
  try {
    entries = (await readdir(dir, { recursive: true, withFileTypes: true })).filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
  } catch {
    return undefined;
  }
  const assets = new Map<string, Asset>();
  for (const file of entries) {
    const type = CONTENT_TYPES[extname(file)];
    if (!type) continue;
    assets.set(relative(dir, file).split(sep).join('/'), { body: new Uint8Array(await readFile(file)), type });
  }
  return assets.has('index.html') ? assets : undefined;
}

/**
 * Adds `GET /console` and `GET /console/*`. A path naming a built file answers it (hashed
 * `assets/` files are cached for a year); any other path answers `index.html`, so the console's
 * own routes survive a reload. Without a build in `dir`, `/console/` answers 404 saying so.
 */
export function addConsoleAssetsRoute(app: Hono<{ Bindings: PeerBindings }>, dir: string): void {
  const assets = loadAssets(dir);
  app.get('/console', (c) => c.redirect('/console/', 308));
  app.get('/console/*', async (c) => {
    const files = await assets;
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) c.header(name, value);
    if (!files) return c.text('The web console is not built: run `npm run build -w @castellan/console`.', 404);
    const path = new URL(c.req.url).pathname.slice('/console/'.length);
    const file = files.get(path);
    if (file) {
      c.header('Cache-Control', path.startsWith('assets/') ? 'public, max-age=31536000, immutable' : 'no-cache');
      return c.body(file.body.slice(), 200, { 'Content-Type': file.type });
    }
    // A missing file under assets/ is a 404, not the page (a stale tab asking for an old chunk).
    if (path.startsWith('assets/')) return c.text('Not found', 404);
    const index = files.get('index.html')!;
    c.header('Cache-Control', 'no-cache');
    return c.body(index.body.slice(), 200, { 'Content-Type': index.type });
  });
}

/**
 * True for a browser opening the server's root (`GET /` without a query string, asking for HTML,
 * no SigV4): it is sent to the console. API calls on `GET /` carry a query string or a signature.
 */
export function isBrowserHome(method: string, query: string, headers: Headers): boolean {
  return method === 'GET' && query === '' && headers.get('authorization') === null && (headers.get('accept') ?? '').includes('text/html');
}
