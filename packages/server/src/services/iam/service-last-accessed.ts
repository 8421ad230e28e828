/**
 * Last-accessed data: GenerateServiceLastAccessedDetails, GetServiceLastAccessedDetails and
 * GetServiceLastAccessedDetailsWithEntities, for users, groups, roles and managed policies.
 *
 * The services reported are those the entity's identity policies allow (each Allow statement's
 * actions, matched against AWS's catalogue; `*` allows every service, `NotAction` every service it
 * leaves an action of). When each was last used comes from the requests the pipeline decided,
 * allowed or refused (AWS reports attempts), recorded per IAM user or role and action
 * (`ActionUseRecorder`). Both levels count only attempts at actions those policies allow (AWS
 * reports "allowed service information and allowed action information"), so a service's last use
 * is always its latest tracked action's, and an attempt at an action no policy grants (refused)
 * cannot make a service look used. A group's or policy's report covers the users and roles it reaches (a
 * group's members; the users, roles and group members a policy is attached to).
 *
 * The report is computed by the Generate call and stored with its job, so any node answers the Get
 * calls (`JobStatus` is then `COMPLETED`).
 *
 * @module
 */
import { parsePolicy, statementsGrantingService, type Policy } from '@castellan/policy';
import type { RequestContext } from '../../domain/context.js';
import { InvalidInputError, NoSuchEntityError } from '../../domain/errors.js';
import type { ActionUseRow, ActivityEntity, Store } from '../../store/store.js';
import { entityPolicies, loadRolePolicies, loadUserPolicies, managedPolicySources } from '../authorization/principal-policies.js';
import type { ServiceDeps } from '../service-deps.js';

/** `SERVICE_LEVEL` or `ACTION_LEVEL` (which adds each tracked action's last use). */
export type AccessReportGranularity = 'SERVICE_LEVEL' | 'ACTION_LEVEL';

/** An IAM user or role the report covers. */
export interface ReportedEntity {
  kind: 'user' | 'role';
  id: string;
  name: string;
  path: string;
  arn: string;
}

/** The last use of one action. */
export interface ActionLastAccessed {
  actionName: string;
  lastAccessedEntity: string;
  lastAccessedTime: Date;
  lastAccessedRegion: string;
}

/** One service of the report. */
export interface ServiceLastAccessed {
  serviceName: string;
  serviceNamespace: string;
  lastAuthenticated?: Date;
  lastAuthenticatedEntity?: string;
  lastAuthenticatedRegion?: string;
  totalAuthenticatedEntities: number;
  /** ACTION_LEVEL only: the actions of the service used, most recent first. */
  trackedActions?: ActionLastAccessed[];
}

/** A stored report. */
export interface AccessReport {
  jobId: string;
  granularity: AccessReportGranularity;
  createdAt: Date;
  completedAt: Date;
  services: ServiceLastAccessed[];
  entities: ReportedEntity[];
  /** Per service namespace: the last use of each entity that used it (by entity id). */
  entityUses: Record<string, Record<string, string>>;
}

const DEFAULT_MAX_ITEMS = 100;

/** GenerateServiceLastAccessedDetails: computes the report of `arn` and stores it under a new job id. */
export async function generateServiceLastAccessedDetails(
  deps: ServiceDeps,
  input: { arn: string; granularity?: AccessReportGranularity | undefined },
  ctx: RequestContext,
): Promise<{ jobId: string }> {
  const granularity = input.granularity ?? 'SERVICE_LEVEL';
  const { entities, documents } = await subjectOf(deps, input.arn, ctx.caller.accountId);
  const allowed = servicesAllowed(deps, documents);
  const policies = parsedPolicies(documents);
  // An attempt is recorded allowed or refused, so a use counts, at both levels, only if the policies grant its action.
  const grantedByPolicies = new Map<string, boolean>();
  const granted = (namespace: string, action: string): boolean => {
    const key = `${namespace}:${action}`;
    let yes = grantedByPolicies.get(key);
    if (yes === undefined) grantedByPolicies.set(key, (yes = policies.some((p) => statementsGrantingService(p, namespace, [action]).length > 0)));
    return yes;
  };
  const uses = await deps.store.listActionUses(entities.map((e) => e.id));
  const arnOf = new Map(entities.map((e) => [e.id, e.arn]));
  const byService = new Map<string, ActionUseRow[]>();
  for (const u of uses) {
    const namespace = u.action.slice(0, u.action.indexOf(':')).toLowerCase();
    if (!allowed.has(namespace) || !arnOf.has(u.entity.id) || !granted(namespace, actionNameOf(deps, u.action))) continue;
    byService.set(namespace, [...(byService.get(namespace) ?? []), u]);
  }
  const entityUses: Record<string, Record<string, string>> = {};
  const services = [...allowed].sort().map((namespace): ServiceLastAccessed => {
    const used = (byService.get(namespace) ?? []).sort((a, b) => b.usedAt.getTime() - a.usedAt.getTime());
    const latest = used[0];
    const perEntity: Record<string, string> = {};
    for (const u of used) perEntity[u.entity.id] ??= u.usedAt.toISOString();
    if (used.length > 0) entityUses[namespace] = perEntity;
    const base: ServiceLastAccessed = {
      serviceName: deps.catalog.serviceName(namespace) ?? namespace,
      serviceNamespace: namespace,
      totalAuthenticatedEntities: Object.keys(perEntity).length,
      ...(latest ? { lastAuthenticated: latest.usedAt, lastAuthenticatedEntity: arnOf.get(latest.entity.id)!, lastAuthenticatedRegion: latest.region } : {}),
    };
    if (granularity === 'ACTION_LEVEL') base.trackedActions = trackedActions(deps, used, arnOf);
    return base;
  });
  const jobId = deps.ids.requestId();
  const report: AccessReport = { jobId, granularity, createdAt: ctx.now, completedAt: ctx.now, services, entities, entityUses };
  await deps.store.createAccessReportJob({
    jobId,
    accountId: ctx.caller.accountId,
    arn: input.arn,
    granularity,
    createdAt: ctx.now,
    completedAt: ctx.now,
    resultJson: JSON.stringify(report),
  });
  return { jobId };
}

/** GetServiceLastAccessedDetails: a page of the job's services. */
export async function getServiceLastAccessedDetails(
  deps: ServiceDeps,
  input: { jobId: string; maxItems?: number | undefined; marker?: string | undefined },
  ctx: RequestContext,
): Promise<{ report: AccessReport; services: ServiceLastAccessed[]; marker?: string }> {
  const report = await requireJob(deps.store, input.jobId, ctx.caller.accountId);
  const { items, marker } = page(report.services, input);
  return { report, services: items, ...(marker ? { marker } : {}) };
}

/** GetServiceLastAccessedDetailsWithEntities: the job's users and roles, and when each last used one service. */
export async function getServiceLastAccessedDetailsWithEntities(
  deps: ServiceDeps,
  input: { jobId: string; serviceNamespace: string; maxItems?: number | undefined; marker?: string | undefined },
  ctx: RequestContext,
): Promise<{ report: AccessReport; entities: Array<{ entity: ReportedEntity; lastAuthenticated?: Date }>; marker?: string }> {
  const report = await requireJob(deps.store, input.jobId, ctx.caller.accountId);
  const namespace = input.serviceNamespace.toLowerCase();
  if (!report.services.some((s) => s.serviceNamespace === namespace)) {
    throw new InvalidInputError(`The service namespace ${input.serviceNamespace} is not in the report of job ${input.jobId}.`);
  }
  const uses = report.entityUses[namespace] ?? {};
  const all = report.entities.map((entity) => ({ entity, ...(uses[entity.id] ? { lastAuthenticated: new Date(uses[entity.id]!) } : {}) }));
  const { items, marker } = page(all, input);
  return { report, entities: items, ...(marker ? { marker } : {}) };
}

async function requireJob(store: Store, jobId: string, accountId: string): Promise<AccessReport> {
  const job = await store.getAccessReportJob(jobId);
  if (!job || job.accountId !== accountId) throw new NoSuchEntityError(`The job with ID ${jobId} cannot be found.`);
  const stored = JSON.parse(job.resultJson) as AccessReport;
  return {
    ...stored,
    createdAt: job.createdAt,
    completedAt: job.completedAt,
    services: stored.services.map((s) => ({
      ...s,
      ...(s.lastAuthenticated ? { lastAuthenticated: new Date(s.lastAuthenticated) } : {}),
      ...(s.trackedActions ? { trackedActions: s.trackedActions.map((a) => ({ ...a, lastAccessedTime: new Date(a.lastAccessedTime) })) } : {}),
    })),
  };
}

function page<T>(items: T[], input: { maxItems?: number | undefined; marker?: string | undefined }): { items: T[]; marker?: string } {
  const start = input.marker === undefined ? 0 : Number(input.marker);
  if (!Number.isSafeInteger(start) || start < 0 || start > items.length || (input.marker !== undefined && String(start) !== input.marker)) {
    throw new InvalidInputError('Invalid Marker.');
  }
  const size = input.maxItems ?? DEFAULT_MAX_ITEMS;
  const end = start + size;
  return { items: items.slice(start, end), ...(end < items.length ? { marker: String(end) } : {}) };
}

/** The action's name as the catalogue spells it (`GetUser`), or as recorded if it does not know it. */
function actionNameOf(deps: Pick<ServiceDeps, 'catalog'>, action: string): string {
  return deps.catalog.action(action)?.name ?? action.slice(action.indexOf(':') + 1);
}

/** The latest use of each action among `used` (the service's uses of granted actions, newest first). */
function trackedActions(deps: ServiceDeps, used: ActionUseRow[], arnOf: Map<string, string>): ActionLastAccessed[] {
  const latest = new Map<string, ActionUseRow>();
  for (const u of used) {
    const name = actionNameOf(deps, u.action);
    if (!latest.has(name)) latest.set(name, u);
  }
  return [...latest].map(([actionName, u]) => ({ actionName, lastAccessedEntity: arnOf.get(u.entity.id)!, lastAccessedTime: u.usedAt, lastAccessedRegion: u.region }));
}

/**
 * The service namespaces the documents' Allow statements grant (by AWS's catalogue), read as
 * ListPoliciesGrantingServiceAccess reads them (`statementsGrantingService`). A document that no
 * longer parses grants nothing.
 */
export function servicesAllowed(deps: Pick<ServiceDeps, 'catalog'>, documents: readonly string[]): Set<string> {
  const out = new Set<string>();
  for (const policy of parsedPolicies(documents)) {
    for (const service of deps.catalog.servicePrefixes()) {
      if (!out.has(service) && statementsGrantingService(policy, service, deps.catalog.actionNames(service)).length > 0) out.add(service);
    }
  }
  return out;
}

/** The documents that still parse, as policies. */
function parsedPolicies(documents: readonly string[]): Policy[] {
  const out: Policy[] = [];
  for (const document of documents) {
    const parsed = parsePolicy(document, { kind: 'identity', checks: 'evaluation' });
    if (parsed.ok) out.push(parsed.policy);
  }
  return out;
}

/** The users and roles an ARN's report covers, and the identity policy documents it is about. */
async function subjectOf(deps: ServiceDeps, arn: string, accountId: string): Promise<{ entities: ReportedEntity[]; documents: string[] }> {
  const { store } = deps;
  const match = /^arn:aws:iam::(\d{12}|aws):(user|group|role|policy)(\/.*)?\/([^/]+)$/.exec(arn);
  if (!match) throw new InvalidInputError(`ARN ${arn} is not valid.`);
  const [, account, type, , name] = match as unknown as [string, string, string, string | undefined, string];
  if (type === 'policy') {
    const found = (await managedPolicySources(deps, [arn], 'identity')).get(arn);
    if (!found || (account !== 'aws' && account !== accountId)) throw new NoSuchEntityError(`Policy ${arn} does not exist or is not attachable.`);
    const entities: ReportedEntity[] = [];
    let marker: string | undefined;
    do {
      const attached = await store.listEntitiesForPolicy({ accountId, policyArn: arn, usageFilter: 'PermissionsPolicy', maxItems: 1000, ...(marker ? { marker } : {}) });
      for (const e of attached.items) {
        if (e.kind === 'group') entities.push(...(await groupMembers(store, e.id)));
        else entities.push(await reported(store, { kind: e.kind, id: e.id }));
      }
      marker = attached.isTruncated ? attached.marker : undefined;
    } while (marker);
    return { entities: unique(entities), documents: [found.document] };
  }
  if (account !== accountId) throw new NoSuchEntityError(`The ${type} with name ${name} cannot be found.`);
  if (type === 'user') {
    const user = await store.getUserByName(accountId, name);
    if (!user || user.arn !== arn) throw new NoSuchEntityError(`The user with name ${name} cannot be found.`);
    const loaded = await loadUserPolicies(deps, user.id);
    return { entities: [{ kind: 'user', id: user.id, name: user.name, path: user.path, arn: user.arn }], documents: (loaded?.identity ?? []).map((p) => p.document) };
  }
  if (type === 'role') {
    const role = await store.getRoleByName(accountId, name);
    if (!role || role.arn !== arn) throw new NoSuchEntityError(`The role with name ${name} cannot be found.`);
    const loaded = await loadRolePolicies(deps, role.id);
    return { entities: [{ kind: 'role', id: role.id, name: role.name, path: role.path, arn: role.arn }], documents: (loaded?.identity ?? []).map((p) => p.document) };
  }
  const group = await store.getGroupByName(accountId, name);
  if (!group || group.arn !== arn) throw new NoSuchEntityError(`The group with name ${name} cannot be found.`);
  const policies = await entityPolicies(deps, [{ kind: 'group', id: group.id }], new Map([[group.id, group.name]]));
  return { entities: await groupMembers(store, group.id), documents: policies.map((p) => p.document) };
}

async function groupMembers(store: Store, groupId: string): Promise<ReportedEntity[]> {
  const out: ReportedEntity[] = [];
  let marker: string | undefined;
  do {
    const members = await store.listGroupMembers(groupId, { maxItems: 1000, ...(marker ? { marker } : {}) });
    out.push(...members.items.map((u): ReportedEntity => ({ kind: 'user', id: u.id, name: u.name, path: u.path, arn: u.arn })));
    marker = members.isTruncated ? members.marker : undefined;
  } while (marker);
  return out;
}

async function reported(store: Store, entity: ActivityEntity): Promise<ReportedEntity> {
  const row = entity.kind === 'user' ? await store.getUserById(entity.id) : await store.getRoleById(entity.id);
  if (!row) throw new NoSuchEntityError(`The ${entity.kind} ${entity.id} cannot be found.`);
  return { kind: entity.kind, id: row.id, name: row.name, path: row.path, arn: row.arn };
}

function unique(entities: ReportedEntity[]): ReportedEntity[] {
  const seen = new Map<string, ReportedEntity>();
  for (const e of entities) seen.set(e.id, e);
  return [...seen.values()];
}
