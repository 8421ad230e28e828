import { describe, expect, it } from 'vitest';
import type { RequestContext } from '../../../../domain/context.js';
import { chainRows, sampleEvent } from '../../../../audit/test-audit-rows.js';
import type { LookupEventsDeps } from '../../../../services/cloudtrail/lookup-events.js';
import { lookupEvents, parseLookupRequest } from './lookup-events.js';

const ACCOUNT = '123456789012';

describe('parseLookupRequest', () => {
  // CloudTrail keeps event times to the second (a record's `eventTime` has no fraction), so a range
  // naming a record's own second must include it although Castellan stores milliseconds.
  const cases: { name: string; start?: string; end?: string; expect: { start?: string; end?: string } }[] = [
    { name: 'an end time covers its whole second', end: '2026-01-01T00:00:07Z', expect: { end: '2026-01-01T00:00:07.999Z' } },
    { name: 'a fractional end time covers the rest of its second', end: '2026-01-01T00:00:07.250Z', expect: { end: '2026-01-01T00:00:07.999Z' } },
    { name: 'a whole-second start time is kept', start: '2026-01-01T00:00:07Z', expect: { start: '2026-01-01T00:00:07.000Z' } },
    { name: 'a fractional start time starts at the next second', start: '2026-01-01T00:00:07.250Z', expect: { start: '2026-01-01T00:00:08.000Z' } },
  ];
  it.each(cases)('$name', (c) => {
    const q = parseLookupRequest({ ...(c.start ? { StartTime: new Date(c.start) } : {}), ...(c.end ? { EndTime: new Date(c.end) } : {}) }, ACCOUNT);
    expect(q.startTime?.toISOString()).toBe(c.expect.start);
    expect(q.endTime?.toISOString()).toBe(c.expect.end);
  });
});

describe('parseLookupRequest: AttributeValue limits (1..2000, AWS counting)', () => {
  const attr = (value: string) => ({ LookupAttributes: [{ AttributeKey: 'EventName' as const, AttributeValue: value }] });
  it.each([
    ['2000 plain characters', 'a'.repeat(2000), true],
    ['2001 plain characters', 'a'.repeat(2001), false],
    ['1000 underscores (count as 2000)', '_'.repeat(1000), true],
    ['1000 spaces and a letter (count as 2001)', `${' '.repeat(1000)}a`, false],
    ['an empty value', '', false],
  ])('%s', (_name, value, ok) => {
    const run = () => parseLookupRequest(attr(value), ACCOUNT);
    if (ok) expect(run).not.toThrow();
    else expect(run).toThrow(expect.objectContaining({ code: 'InvalidLookupAttributesException' }));
  });
});

describe('LookupEvents', () => {
  const ctx = { requestId: 'r', now: new Date(), caller: { accountId: ACCOUNT }, sourceIp: '127.0.0.1', userAgent: 't', region: 'us-east-1' } as unknown as RequestContext;

  /** A store holding one event at 00:00:07.400, filtering on time as the SQL store does. */
  function storeWithOneEvent(): LookupEventsDeps['store'] {
    const [row] = chainRows([sampleEvent(7, { time: new Date('2026-01-01T00:00:07.400Z') })]) as [ReturnType<typeof chainRows>[number]];
    return {
      async lookupAuditEvents(req) {
        const t = row.eventTime.getTime();
        const inRange = (!req.startTime || t >= req.startTime.getTime()) && (!req.endTime || t <= req.endTime.getTime());
        return { events: inRange ? [row] : [] };
      },
    };
  }

  it('finds an event by the second its record shows, and returns EventTime to the second', async () => {
    const second = new Date('2026-01-01T00:00:07Z');
    const out = await lookupEvents.execute({ StartTime: second, EndTime: second }, ctx, { store: storeWithOneEvent() });
    expect(out.Events).toHaveLength(1);
    const [e] = out.Events!;
    expect(e!.EventTime!.toISOString()).toBe('2026-01-01T00:00:07.000Z');
    expect(JSON.parse(e!.CloudTrailEvent!).eventTime).toBe('2026-01-01T00:00:07Z');
  });
});
