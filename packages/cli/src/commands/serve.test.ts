import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { CONFIG_ENV } from '@castellan/server';
import type { CliIo } from './cli-io.js';
import { registerServe, tuneRuntimeForServing } from './serve.js';

describe('tuneRuntimeForServing', () => {
  it('leaves young-generation collection alone when Node was given a parallel-scavenge flag', () => {
    expect(tuneRuntimeForServing(['--parallel-scavenge'], '')).toBe(false);
    expect(tuneRuntimeForServing([], '--max-old-space-size=512 --no-parallel_scavenge')).toBe(false);
  });

  it('turns parallel scavenging off otherwise', () => {
    expect(tuneRuntimeForServing(['--enable-source-maps'], '--max-old-space-size=4096')).toBe(true);
  });
});

describe('castellan serve --help', () => {
  // Settings read from the environment (or --config) with no flag of their own; none today.
  const NO_FLAG: readonly string[] = [];
  const serveOptions = () => {
    const program = new Command();
    registerServe(program, {} as CliIo, () => {});
    return program.commands.find((c) => c.name() === 'serve')!.options;
  };

  // The README's Configuration table gives every setting's variable; the help says the same.
  it('names the environment variable of every setting that has one', () => {
    const env: Record<string, string> = CONFIG_ENV;
    const checked = serveOptions().filter((o) => env[o.attributeName()] !== undefined);
    const missing = checked.filter((o) => !(o.description ?? '').includes(env[o.attributeName()]!)).map((o) => o.long);
    expect(missing).toEqual([]);
    expect(checked.length).toBeGreaterThan(0);
  });

  // Without this, a renamed flag or setting would drop out of the check above unnoticed.
  it('has a flag for every setting, or lists it as having none', () => {
    const flags = new Set(serveOptions().map((o) => o.attributeName()));
    expect(Object.keys(CONFIG_ENV).filter((k) => !flags.has(k) && !NO_FLAG.includes(k))).toEqual([]);
    expect(NO_FLAG.filter((k) => flags.has(k) || !(k in CONFIG_ENV))).toEqual([]);
  });
});
