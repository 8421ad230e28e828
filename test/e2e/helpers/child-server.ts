/**
 * The built `@castellan/server` in a child process (`node --input-type=module -e`), for tests that
 * kill it for real or limit its resources.
 *
 * @module
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';

const REPO = new URL('../../../', import.meta.url).pathname;

/** A server started by {@link startChildServer}: its process at once, its URL once it listens. */
export interface ChildServer {
  child: ChildProcess;
  url: Promise<string>;
}

/**
 * Starts the server with `settings` (resolveConfig's) and `startOptions` (startCastellan's). The
 * process is returned before it listens, so a caller can kill it whatever happens; `url` rejects if
 * it exits first. With `closeOnSigterm`, SIGTERM closes the server and then exits.
 */
export function startChildServer(settings: Record<string, unknown>, startOptions: Record<string, unknown> = {}, options: { closeOnSigterm?: boolean } = {}): ChildServer {
  const script = `
    const { resolveConfig, startCastellan } = await import('@castellan/server');
    const r = resolveConfig([${JSON.stringify(settings)}]);
    if (!r.ok) throw new Error(JSON.stringify(r.problems));
    const s = await startCastellan(r.config, ${JSON.stringify(startOptions)});
    ${options.closeOnSigterm ? "process.once('SIGTERM', () => s.close().then(() => process.exit(0)));" : ''}
    process.stdout.write(JSON.stringify({ url: s.url }) + '\\n');`;
  const child = spawn(process.execPath, ['--input-type=module', '-e', script], { cwd: REPO, stdio: ['ignore', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout! });
  const url = new Promise<string>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`server exited with ${code} before listening`)));
    lines.once('line', (line) => resolve((JSON.parse(line) as { url: string }).url));
  });
  return { child, url };
}
