/**
 * Operations declare only what is theirs: the factories derive the action from the name and
 * read-only from AWS's access level, and every registered operation agrees with the catalogue
 * unless it overrides read-only with a reason.
 */
import { generateKeyPairSync } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { describePublicKey } from '../audit/export/signing-key.js';
import { loadIamDataCatalog, type IamDataCatalog } from '../catalog/iam-data-catalog.js';
import { cloudTrailOperations } from './json/operations/cloudtrail/cloudtrail-operations.js';
import { castellanOperation, cloudTrailOperation, iamOperation, isReadOnlyAccessLevel, stsOperation, type AnyOperation } from './define-operation.js';
import { IAM_OPERATIONS } from './query/operations/iam/iam-operations.js';
import { STS_OPERATIONS } from './query/operations/sts/sts-operations.js';
import { CASTELLAN_OPERATIONS } from './json/operations/castellan/castellan-operations.js';
import { TAG_ON_CREATE } from '@castellan/advisor';
import type { RequestContext } from '../domain/context.js';
import type { ServiceDeps } from '../services/service-deps.js';
import type { ServiceModel } from './model/service-model.js';
import { CASTELLAN_MODEL } from './model/castellan-model.js';
import { CLOUDTRAIL_MODEL } from './model/cloudtrail-model.js';
import { IAM_MODEL } from './model/iam-model.js';
import { STS_MODEL } from './model/sts-model.js';

const resource = () => '*';
// The factories only read the name; what the operation returns does not matter here.
const execute = (): never => {
  throw new Error('not called');
};

describe('operation factories', () => {
  it.each([
    ['a List action is read-only', iamOperation('ListUsers', { resource, execute }), 'iam:ListUsers', true],
    ['a Read action is read-only', iamOperation('GetUser', { resource, execute }), 'iam:GetUser', true],
    ['a Write action is a mutation', iamOperation('CreateUser', { resource, execute }), 'iam:CreateUser', false],
    ['a Permissions management action is a mutation', iamOperation('PutUserPolicy', { resource, execute }), 'iam:PutUserPolicy', false],
    ['a Tagging action is a mutation', iamOperation('TagUser', { resource, execute }), 'iam:TagUser', false],
    ['an STS Read action', stsOperation('GetCallerIdentity', { resource, execute }), 'sts:GetCallerIdentity', true],
    ['a CloudTrail Read action', cloudTrailOperation('LookupEvents', { resource, execute }), 'cloudtrail:LookupEvents', true],
    ['a Castellan Write action (level from its model)', castellanOperation('CreateAccount', { resource, execute }), 'castellan:CreateAccount', false],
    ['a Castellan List action', castellanOperation('ListWorkloads', { resource, execute }), 'castellan:ListWorkloads', true],
    ['an override with its reason', stsOperation('AssumeRole', { readOnly: true, readOnlyBecause: 'CloudTrail records it as read-only', resource, execute }), 'sts:AssumeRole', true],
  ] as const)('%s', (_name, spec, action, readOnly) => {
    expect(spec.action).toBe(action);
    expect(spec.readOnly).toBe(readOnly);
  });

  it('gives a target the derived action', () => {
    const seen: string[] = [];
    const spec = iamOperation('DeleteUser', { target: (action) => (seen.push(action), { resource }), execute });
    expect(seen).toEqual(['iam:DeleteUser']);
    expect(spec.resource).toBe(resource);
  });

  it.each([
    ['Read', true],
    ['List', true],
    ['Write', false],
    ['Permissions management', false],
    ['Tagging', false],
    ['Tagging, Write', false],
  ])('access level %s is read-only: %s', (level, readOnly) => {
    expect(isReadOnlyAccessLevel(level)).toBe(readOnly);
  });
});

describe('every registered operation', () => {
  const publicKey = describePublicKey(generateKeyPairSync('ed25519').publicKey, new Date('2026-01-01T00:00:00Z'));
  const all: AnyOperation[] = [...IAM_OPERATIONS, ...STS_OPERATIONS, ...cloudTrailOperations({ publicKey, trail: { homeRegion: 'us-east-1', logFileValidation: true, deliveries: async () => ({}) } }), ...CASTELLAN_OPERATIONS];
  let catalog: IamDataCatalog;
  beforeAll(async () => {
    catalog = await loadIamDataCatalog();
  });

  it.each(all.map((op) => [`${op.service}:${op.name}`, op] as const))('%s is read-only exactly when AWS files it as Read or List, or says why not', (action, op) => {
    const info = catalog.action(action);
    expect(op.action).toBe(op.authorizedAs ?? action);
    expect(info, `${action} is in the catalogue`).toBeDefined();
    const level = isReadOnlyAccessLevel(info!.accessLevel);
    if (op.readOnlyBecause === undefined) expect(op.readOnly, `${action} is ${info!.accessLevel} in AWS's catalogue`).toBe(level);
    else expect(op.readOnly, `${action}: an override that agrees with the catalogue is not one`).not.toBe(level);
  });
});

describe('tag-on-create', () => {
  const publicKey = describePublicKey(generateKeyPairSync('ed25519').publicKey, new Date('2026-01-01T00:00:00Z'));
  const all: AnyOperation[] = [...IAM_OPERATIONS, ...STS_OPERATIONS, ...cloudTrailOperations({ publicKey, trail: { homeRegion: 'us-east-1', logFileValidation: true, deliveries: async () => ({}) } }), ...CASTELLAN_OPERATIONS];
  const MODELS: Readonly<Record<string, ServiceModel>> = { iam: IAM_MODEL, sts: STS_MODEL, cloudtrail: CLOUDTRAIL_MODEL, castellan: CASTELLAN_MODEL };
  /** The member a create's input carries its tags in (`Tags`; CloudTrail's `TagsList`), if any. */
  const tagMember = (op: AnyOperation): string | undefined => {
    const model = MODELS[op.service]!;
    const input = model.operations[op.name]?.input;
    const shape = input ? model.shapes[input] : undefined;
    return shape?.type === 'structure' ? Object.keys(shape.members).find((m) => m === 'Tags' || m === 'TagsList') : undefined;
  };
  // Creates and uploads (not TagUser itself, not STS's session tags, which need sts:TagSession and say so in their own files).
  const creates = all.filter((op) => /^(Create|Upload)/.test(op.name) && tagMember(op) !== undefined);
  const ctx = {} as RequestContext;
  // The tag check reads only the input.
  const deps = undefined as unknown as ServiceDeps;
  let catalog: IamDataCatalog;
  beforeAll(async () => {
    catalog = await loadIamDataCatalog();
  });

  it('finds the IAM creates that take tags', () => {
    expect(creates.map((op) => op.name).sort()).toEqual(
      ['CreateInstanceProfile', 'CreateOpenIDConnectProvider', 'CreatePolicy', 'CreateRole', 'CreateSAMLProvider', 'CreateUser', 'CreateVirtualMFADevice', 'UploadServerCertificate'],
    );
  });

  it.each(creates.map((op) => [`${op.service}:${op.name}`, op] as const))('%s also authorizes its tagging action when it carries tags', (action, op) => {
    const tagAction = TAG_ON_CREATE[action];
    expect(tagAction, `${action} is in TAG_ON_CREATE`).toBeDefined();
    // The tagging action works on the same resource type as the create, so deciding it on the new resource's ARN is right.
    const created = catalog.action(action)!.resourceTypes.map((t) => t.name);
    const tagged = catalog.action(tagAction!)!;
    expect(tagged.accessLevel).toMatch(/Tagging/);
    expect(tagged.resourceTypes.map((t) => t.name)).toEqual(created);
    const member = tagMember(op)!;
    expect(op.alsoAuthorizedActions?.({ [member]: [{ Key: 'k', Value: 'v' }] }, ctx, deps)).toEqual([tagAction]);
    expect(op.alsoAuthorizedActions?.({ [member]: [] }, ctx, deps) ?? []).toEqual([]);
    expect(op.alsoAuthorizedActions?.({}, ctx, deps) ?? []).toEqual([]);
  });

  it('names only registered creates', () => {
    const registered = new Set(all.map((op) => `${op.service}:${op.name}`));
    for (const create of Object.keys(TAG_ON_CREATE)) expect(registered.has(create), create).toBe(true);
  });

  it('keeps an operation\'s own further actions', () => {
    const spec = iamOperation('CreateUser', { resource, execute, alsoAuthorizedActions: () => ['iam:Other'] });
    expect(spec.alsoAuthorizedActions?.({ UserName: 'u', Tags: [{ Key: 'k', Value: 'v' }] }, ctx, deps)).toEqual(['iam:Other', 'iam:TagUser']);
    expect(spec.alsoAuthorizedActions?.({ UserName: 'u' }, ctx, deps)).toEqual(['iam:Other']);
  });
});
