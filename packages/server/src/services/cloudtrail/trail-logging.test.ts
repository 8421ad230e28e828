import { describe, expect, it } from 'vitest';
import { deliversEventAt } from './trail-logging.js';

const t = (minute: number) => new Date(Date.UTC(2026, 0, 1, 0, minute));

describe('deliversEventAt', () => {
  // [case, state, event minute, delivered]
  const cases: [string, Parameters<typeof deliversEventAt>[0], number, boolean][] = [
    ['no state: the default trail logs', undefined, 5, true],
    ['never stopped', { logging: true, startLoggingTime: t(1) }, 0, true],
    ['stopped: before the stop', { logging: false, stopLoggingTime: t(10) }, 9, true],
    ['stopped: the StopLogging call itself', { logging: false, stopLoggingTime: t(10) }, 10, true],
    ['stopped: after the stop', { logging: false, stopLoggingTime: t(10) }, 11, false],
    ['started again: before the stop', { logging: true, stopLoggingTime: t(10), startLoggingTime: t(20) }, 5, true],
    ['started again: in the gap', { logging: true, stopLoggingTime: t(10), startLoggingTime: t(20) }, 15, false],
    ['started again: the StartLogging call itself', { logging: true, stopLoggingTime: t(10), startLoggingTime: t(20) }, 20, true],
    ['started again: after the start', { logging: true, stopLoggingTime: t(10), startLoggingTime: t(20) }, 25, true],
    ['started before a later stop (logging false wins)', { logging: false, startLoggingTime: t(5), stopLoggingTime: t(10) }, 12, false],
  ];
  it.each(cases)('%s', (_name, state, minute, expected) => {
    expect(deliversEventAt(state, t(minute))).toBe(expected);
  });
});
