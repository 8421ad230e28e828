/** Runs a client tool a compatibility test drives, collecting its output (no shell, no timeout of its own). */
import { spawn } from 'node:child_process';

export interface Ran {
  code: number;
  stdout: string;
  stderr: string;
}

/** `command args…` with `env` as its whole environment: its exit code and output. */
export function runTool(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<Ran> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += String(d)));
    child.stderr.on('data', (d: Buffer) => (stderr += String(d)));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

/** A run that must succeed: its standard output; otherwise an error quoting what `name` printed. */
export async function mustSucceed(name: string, ran: Promise<Ran>): Promise<string> {
  const r = await ran;
  if (r.code !== 0) throw new Error(`${name} exited ${r.code}: ${r.stderr}${r.stdout}`);
  return r.stdout;
}

/** This process's environment without the variables whose names start with one of `prefixes`. */
export function environmentWithout(...prefixes: string[]): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(process.env).filter(([k]) => !prefixes.some((p) => k.startsWith(p))));
}
