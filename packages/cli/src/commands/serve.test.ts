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
  // The README's Configuration table gives every setting's variable; the help says the same.
  it('names the environment variable of every setting that has one', () => {
    const program = new Command();
    registerServe(program, {} as CliIo, () => {});
    const serve = program.commands.find((c) => c.name() === 'serve')!;
    const env: Record<string, string> = CONFIG_ENV;
    const missing = serve.options
      .filter((o) => env[o.attributeName()] !== undefined && !(o.description ?? '').includes(env[o.attributeName()]!))
      .map((o) => o.long);
    expect(missing).toEqual([]);
  });
});
