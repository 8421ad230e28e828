import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addConsoleAssetsRoute, CONSOLE_CSP, isBrowserHome } from './console-assets-route.js';
import type { PeerBindings } from './create-app.js';

describe('console assets route', () => {
  let root: string;
  let app: Hono<{ Bindings: PeerBindings }>;
  let unbuilt: Hono<{ Bindings: PeerBindings }>;

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'castellan-console-assets-'));
    const dist = join(root, 'dist');
    await mkdir(join(dist, 'assets'), { recursive: true });
    await writeFile(join(dist, 'index.html'), '<!doctype html><title>console</title>');
    await writeFile(join(dist, 'assets', 'index-abc.js'), 'console.log(1)');
    await writeFile(join(dist, 'assets', 'index-abc.css'), 'body{}');
    await writeFile(join(root, 'secret.txt'), 'outside the build');
    app = new Hono();
    addConsoleAssetsRoute(app, dist);
    unbuilt = new Hono();
    addConsoleAssetsRoute(unbuilt, join(root, 'missing'));
  });
  afterAll(() => rm(root, { recursive: true, force: true }));

  it.each([
    { path: '/console/', status: 200, type: 'text/html; charset=utf-8', body: '<!doctype html><title>console</title>', cache: 'no-cache' },
    { path: '/console/index.html', status: 200, type: 'text/html; charset=utf-8', body: '<!doctype html><title>console</title>', cache: 'no-cache' },
    // The app's own routes answer the page, so a reload works.
    { path: '/console/users/alice', status: 200, type: 'text/html; charset=utf-8', body: '<!doctype html><title>console</title>', cache: 'no-cache' },
    { path: '/console/assets/index-abc.js', status: 200, type: 'text/javascript; charset=utf-8', body: 'console.log(1)', cache: 'public, max-age=31536000, immutable' },
    { path: '/console/assets/index-abc.css', status: 200, type: 'text/css; charset=utf-8', body: 'body{}', cache: 'public, max-age=31536000, immutable' },
    { path: '/console/assets/gone.js', status: 404, type: 'text/plain; charset=UTF-8', body: 'Not found', cache: null },
    // Files are looked up among those built, never on disk by the client's path.
    { path: '/console/..%2fsecret.txt', status: 200, type: 'text/html; charset=utf-8', body: '<!doctype html><title>console</title>', cache: 'no-cache' },
    { path: '/console/%2e%2e/%2e%2e/secret.txt', status: 404, type: 'text/plain; charset=UTF-8', body: '404 Not Found', cache: null },
  ])('GET $path answers $status', async ({ path, status, type, body, cache }) => {
    const res = await app.request(path);
    expect(res.status).toBe(status);
    expect(res.headers.get('content-type')).toBe(type);
    expect(res.headers.get('cache-control')).toBe(cache);
    expect(await res.text()).toBe(body);
    if (path.startsWith('/console/') && status === 200) {
      expect(res.headers.get('content-security-policy')).toBe(CONSOLE_CSP);
      expect(res.headers.get('x-frame-options')).toBe('DENY');
    }
  });

  it('sends /console to /console/', async () => {
    const res = await app.request('/console');
    expect(res.status).toBe(308);
    expect(res.headers.get('location')).toBe('/console/');
  });

  it('says so when the console is not built', async () => {
    const res = await unbuilt.request('/console/');
    expect(res.status).toBe(404);
    expect(await res.text()).toContain('npm run build -w @castellan/console');
  });

  it('allows no inline script, eval or framing', () => {
    expect(CONSOLE_CSP).not.toMatch(/unsafe-|\*/);
    expect(CONSOLE_CSP).toContain("frame-ancestors 'none'");
  });

  it.each([
    { method: 'GET', query: '', headers: { accept: 'text/html,application/xhtml+xml' }, home: true },
    { method: 'GET', query: '', headers: { accept: '*/*' }, home: false },
    { method: 'GET', query: '?Action=ListUsers&Version=2010-05-08', headers: { accept: 'text/html' }, home: false },
    { method: 'GET', query: '', headers: { accept: 'text/html', authorization: 'AWS4-HMAC-SHA256 Credential=AKIA/20261206/us-east-1/iam/aws4_request' }, home: false },
    { method: 'POST', query: '', headers: { accept: 'text/html' }, home: false },
  ] as Array<{ method: string; query: string; headers: Record<string, string>; home: boolean }>)('isBrowserHome($method, $query, $headers) is $home', ({ method, query, headers, home }) => {
    expect(isBrowserHome(method, query, new Headers(headers))).toBe(home);
  });
});
