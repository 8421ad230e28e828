/**
 * Last-accessed data: a decorator of the pipeline's `Authorizer` that notes, for every request an
 * IAM user or role (directly or through a session it issued) made, allowed or refused, the action,
 * time and region (AWS: "the service last accessed data includes all attempts to access an AWS
 * API, not just the successful ones"; what was never authenticated is not noted). An attempt,
 * allowed or refused, is noted only at an action the catalogue knows, in its spelling: through
 * castellan:AuthorizeRequest a service names actions freely, and made-up names (allowed by an
 * `Action: "*"` policy as readily as refused) would add rows without bound that no report shows,
 * or make a service look used. And a buffer that writes those notes in batches, as access-key last-used data is
 * written (`StoreCredentialResolver.recordUse`): the latest use per entity and action in memory,
 * one `recordActionUse` call every `flushIntervalMs`, on `flush()` and at `close()`.
 *
 * @example
 * ```ts
 * const uses = new ActionUseRecorder(store, catalog);
 * const authorizer = uses.around(new PolicyAuthorizer(options));
 * // …
 * await uses.close(); // writes what is still buffered
 * ```
 * @module
 */
import type { Principal, RequestContext } from '../../domain/context.js';
import type { AuthorizationDecision, AuthorizationRequest, Authorizer } from '../../domain/ports/authorizer.js';
import type { IamDataCatalog } from '../../catalog/iam-data-catalog.js';
import { LatestUseBuffer } from '../latest-use-buffer.js';
import type { ActionUse, ActivityEntity, Store } from '../../store/store.js';

/** Options of {@link ActionUseRecorder}. */
export interface ActionUseRecorderOptions {
  /** How long uses wait in memory before they are written. Default `2000`. */
  flushIntervalMs?: number;
  /** Buffered entity/action pairs that trigger an early write. Default `10000`. */
  maxBuffered?: number;
  /** Called with a failed write (the uses are then lost, as last-used data is best effort). */
  onError?: (error: unknown) => void;
}

/** The IAM entity a caller's permissions come from: the user, or the role of an assumed-role session. */
export function activityEntity(caller: Principal): ActivityEntity | undefined {
  if (caller.session) {
    if (caller.session.issuerType === 'Role') return { kind: 'role', id: caller.session.issuerPrincipalId };
    if (caller.session.issuerType === 'IAMUser') return { kind: 'user', id: caller.session.issuerPrincipalId };
    return undefined;
  }
  return caller.type === 'IAMUser' ? { kind: 'user', id: caller.principalId } : undefined;
}

/** How many spellings of actions `knownAction` remembers before it starts over. */
const MAX_REMEMBERED_SPELLINGS = 4096;

/** Buffers attempted actions and writes them in batches. */
export class ActionUseRecorder {
  readonly #uses: LatestUseBuffer<ActionUse>;

  readonly #catalog: Pick<IamDataCatalog, 'action'>;

  /** `knownAction`'s answers by the spelling asked about (`null`: not in the catalogue). */
  readonly #spellings = new Map<string, string | null>();

  /** @param catalog knows the actions an attempt may be noted at. */
  constructor(store: Pick<Store, 'recordActionUse'>, catalog: Pick<IamDataCatalog, 'action'>, options: ActionUseRecorderOptions = {}) {
    this.#catalog = catalog;
    this.#uses = new LatestUseBuffer<ActionUse>({
      write: (batch) => store.recordActionUse(batch),
      onError: options.onError ?? (() => {}),
      intervalMs: options.flushIntervalMs ?? 2000,
      maxEntries: options.maxBuffered ?? 10_000,
    });
  }

  /**
   * The same authorizer, noting each decision for an IAM user or role, allowed or refused, only at
   * an action the catalogue knows (`knownAction`).
   */
  around(inner: Authorizer): Authorizer {
    return {
      authorize: async (ctx: RequestContext, request: AuthorizationRequest): Promise<AuthorizationDecision> => {
        const decision = await inner.authorize(ctx, request);
        // The entity first: root and federated callers note nothing, so they skip the catalogue lookup.
        const entity = activityEntity(ctx.caller);
        if (entity) {
          const known = this.knownAction(request.action);
          if (known) this.#noteFor(ctx, entity, known);
        }
        return decision;
      },
    };
  }

  /**
   * `action` as the catalogue spells it (`iam:GetUser` for `IAM:getuser`), or undefined if it is
   * unknown. Remembered per spelling asked about (every call asks, most for the same few actions):
   * the lookup lower-cased and split the name and joined the answer on each call. Bounded, as
   * AuthorizeRequest's services may name any action: past the bound the memory starts over.
   */
  private knownAction(action: string): string | undefined {
    let spelled = this.#spellings.get(action);
    if (spelled === undefined) {
      const info = this.#catalog.action(action);
      spelled = info ? `${info.service}:${info.name}` : null;
      if (this.#spellings.size >= MAX_REMEMBERED_SPELLINGS) this.#spellings.clear();
      this.#spellings.set(action, spelled);
    }
    return spelled ?? undefined;
  }

  /** Notes one attempted action of the caller (nothing for root or federated users). */
  note(ctx: RequestContext, action: string): void {
    const entity = activityEntity(ctx.caller);
    if (entity) this.#noteFor(ctx, entity, action);
  }

  #noteFor(ctx: RequestContext, entity: ActivityEntity, action: string): void {
    this.#uses.note(`${entity.id}\u0000${action}`, { accountId: ctx.caller.accountId, entity, action, usedAt: ctx.now, region: ctx.region });
  }

  /** Writes the buffered uses now; resolves when they and any earlier write are done. */
  flush(): Promise<void> {
    return this.#uses.flush();
  }

  /** Stops buffering and writes what is left. Idempotent; call before closing the store. */
  close(): Promise<void> {
    return this.#uses.close();
  }
}
