import { describe, expect, it } from 'vitest';
import { tuneRuntimeForServing } from './serve.js';

describe('tuneRuntimeForServing', () => {
  it('leaves young-generation collection alone when Node was given a parallel-scavenge flag', () => {
    expect(tuneRuntimeForServing(['--parallel-scavenge'], '')).toBe(false);
    expect(tuneRuntimeForServing([], '--max-old-space-size=512 --no-parallel_scavenge')).toBe(false);
  });

  it('turns parallel scavenging off otherwise', () => {
    expect(tuneRuntimeForServing(['--enable-source-maps'], '--max-old-space-size=4096')).toBe(true);
  });
});
