/**
 * Browser tests of the web console: Debian's Chromium (`/usr/bin/chromium`, or
 * `CASTELLAN_CHROMIUM`) driven headless by playwright-core, axe-core run inside the page, and
 * screenshots of the main pages. They go to a temporary folder, so a test run leaves the checkout
 * as it found it; `CASTELLAN_UPDATE_SCREENSHOTS=1` writes them to `docs/screenshots/` for the README.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';

export const CHROMIUM_PATH = process.env['CASTELLAN_CHROMIUM'] ?? '/usr/bin/chromium';
export const CONSOLE_DIST = fileURLToPath(new URL('../../../packages/console/dist/', import.meta.url));
const SCREENSHOTS = process.env['CASTELLAN_UPDATE_SCREENSHOTS'] === '1'
  ? fileURLToPath(new URL('../../../docs/screenshots/', import.meta.url))
  : join(tmpdir(), 'castellan-screenshots') + '/';

const CONSOLE_SOURCES = ['../../../packages/console/src/', '../../../packages/console/index.html', '../../../packages/policy/src/'].map((p) => fileURLToPath(new URL(p, import.meta.url)));

async function newestMtime(path: string): Promise<number> {
  const s = await stat(path);
  if (!s.isDirectory()) return s.mtimeMs;
  const entries = await readdir(path, { recursive: true, withFileTypes: true });
  const times = await Promise.all(entries.filter((e) => e.isFile()).map(async (e) => (await stat(join(e.parentPath, e.name))).mtimeMs));
  return Math.max(0, ...times);
}

/**
 * Fails unless `packages/console/dist` is built from the current sources: `npm ci` builds it, but
 * `npm test` does not rebuild it, and a browser test of a stale build proves nothing.
 */
export async function assertConsoleBuilt(): Promise<void> {
  const built = await stat(`${CONSOLE_DIST}index.html`).then((s) => s.mtimeMs, () => undefined);
  if (built === undefined) throw new Error('the console is not built: run `npm run build -w @castellan/console`');
  const newest = Math.max(...(await Promise.all(CONSOLE_SOURCES.map(newestMtime))));
  if (newest > built) throw new Error('the console build is older than its sources: run `npm run build -w @castellan/console`');
}

export function launchChromium(): Promise<Browser> {
  // --no-sandbox: CI runs as root, where Chromium's sandbox cannot start. localhost is mapped to the
  // server's 127.0.0.1: WebAuthn needs a domain as its RP id, and an IP address is not one.
  return chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--host-resolver-rules=MAP localhost 127.0.0.1'] });
}

let axeSource: string | undefined;

/** axe-core's violations of impact `serious` or `critical` on the page as it is now. */
export async function seriousAxeViolations(page: Page): Promise<Array<{ id: string; impact: string; help: string; targets: string[] }>> {
  axeSource ??= await readFile(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
  // Evaluated through the DevTools protocol, so the console's CSP (no inline script) does not block it.
  await page.evaluate(axeSource);
  return page.evaluate(async () => {
    const axe = (globalThis as unknown as { axe: { run(ctx: unknown, opts: unknown): Promise<{ violations: Array<{ id: string; impact: string; help: string; nodes: Array<{ target: string[] }> }> }> } }).axe;
    const result = await axe.run((globalThis as unknown as { document: unknown }).document, { resultTypes: ['violations'] });
    return result.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => ({ id: v.id, impact: v.impact, help: v.help, targets: v.nodes.map((n) => n.target.join(' ')) }));
  });
}

/** Saves `<name>.png` in the screenshots folder (see the module comment). */
export async function screenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: `${SCREENSHOTS}${name}.png`, fullPage: true });
}

/** Fills the sign-in form and submits it. */
export async function signIn(page: Page, fields: { account: string; userName: string; password: string; mfaCode?: string }): Promise<void> {
  await page.getByLabel('Account', { exact: true }).fill(fields.account);
  await page.getByLabel('User name', { exact: true }).fill(fields.userName);
  await page.getByLabel('Password', { exact: true }).fill(fields.password);
  if (fields.mfaCode) await page.getByLabel('MFA code').fill(fields.mfaCode);
  await page.getByRole('button', { name: 'Sign in' }).click();
}
