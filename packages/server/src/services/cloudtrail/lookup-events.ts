/**
 * cloudtrail:LookupEvents' use case: one page of the caller's account's events, as views.
 *
 * @module
 */
import type { AuditEventPage, AuditEventQuery, AuditEventView } from '../../domain/audit-events.js';
import type { RequestContext } from '../../domain/context.js';
import type { AuditEventRow, AuditStore } from '../../store/store.js';
import { StoreInvalidCursorError } from '../../store/store-errors.js';
import { InvalidNextTokenError } from './cloudtrail-errors.js';

/** What LookupEvents reads: only the store's lookup. */
export interface LookupEventsDeps {
  store: Pick<AuditStore, 'lookupAuditEvents'>;
}

function toView(row: AuditEventRow): AuditEventView {
  return {
    eventId: row.eventId,
    eventName: row.eventName,
    eventSource: row.eventSource,
    eventTime: row.eventTime,
    readOnly: row.readOnly,
    ...(row.username ? { username: row.username } : {}),
    ...(row.accessKeyId ? { accessKeyId: row.accessKeyId } : {}),
    resources: row.resources.map((r) => ({ type: r.type, name: r.name })),
    recordJson: row.recordJson,
  };
}

/** The page of the caller's account's events `query` asks for; a cursor the store did not issue is `InvalidNextTokenException`. */
export async function lookupEvents(deps: LookupEventsDeps, query: AuditEventQuery, ctx: RequestContext): Promise<AuditEventPage> {
  let page;
  try {
    page = await deps.store.lookupAuditEvents({ accountId: ctx.caller.accountId, ...query });
  } catch (err) {
    if (err instanceof StoreInvalidCursorError) throw new InvalidNextTokenError('Invalid NextToken.', { cause: err });
    throw err;
  }
  return { events: page.events.map(toView), ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}) };
}
