import { beforeEach, describe, expect } from 'vitest';
import { StoreLimitError, StoreReferenceError } from '../store-errors.js';
import type { EntityRef, Store } from '../store.js';
import { ACCOUNT, allPages, at, doc, newGroup, newPolicy, newRole, newUser, OTHER_ACCOUNT, settle, type ContractScope } from './fixtures.js';

/** The store contract: managed policies, versions, attachments and usage. */
export function managedPolicyContract({ test, current }: ContractScope): void {
  describe('managed policies', () => {
    let store: Store;
    beforeEach(() => { store = current().store; });

    test('create gives a default v1; get by arn and id', async () => {
      const input = { ...newPolicy('ReadS3', '/app/'), description: 'read' };
      const created = await store.createPolicy(input);
      expect(created).toEqual({
        accountId: ACCOUNT, id: input.id, name: 'ReadS3', path: '/app/', arn: input.arn, description: 'read',
        defaultVersionId: 'v1', createDate: at(0), updateDate: at(0), attachmentCount: 0, permissionsBoundaryUsageCount: 0,
      });
      expect(await store.getPolicyByArn(input.arn)).toEqual(created);
      expect(await store.getPolicyById(input.id)).toEqual(created);
      expect(await store.getPolicyVersion(input.id, 'v1')).toEqual({ policyId: input.id, versionId: 'v1', document: input.document, isDefaultVersion: true, createDate: at(0) });
      expect(await store.getPolicyByArn('arn:aws:iam::aws:policy/ReadOnlyAccess')).toBeUndefined();
    });

    test('versions: at most 5, ids never reused, default handling, newest first', async () => {
      const p = await store.createPolicy(newPolicy('p'));
      for (let i = 2; i <= 5; i++) {
        const v = await store.createPolicyVersion({ policyId: p.id, document: doc(`s3:V${i}`), setAsDefault: i === 3, createDate: at(i) });
        expect(v).toMatchObject({ versionId: `v${i}`, isDefaultVersion: i === 3, createDate: at(i) });
      }
      await expect(store.createPolicyVersion({ policyId: p.id, document: doc('x:y'), setAsDefault: false, createDate: at(6) }))
        .rejects.toMatchObject({ kind: 'limit', quota: 'policyVersions', limit: 5 });
      expect(await store.getPolicyById(p.id)).toMatchObject({ defaultVersionId: 'v3', updateDate: at(5) });
      expect(await store.deletePolicyVersion(p.id, 'v3')).toBe(false);
      expect(await store.deletePolicyVersion(p.id, 'v5')).toBe(true);
      expect(await store.deletePolicyVersion(p.id, 'v5')).toBe(false);
      expect((await store.getPolicyById(p.id))?.updateDate).toEqual(at(4));
      const v6 = await store.createPolicyVersion({ policyId: p.id, document: doc('s3:V6'), setAsDefault: false, createDate: at(6) });
      expect(v6.versionId).toBe('v6');
      expect(await store.setDefaultPolicyVersion(p.id, 'v6')).toBe(true);
      expect(await store.setDefaultPolicyVersion(p.id, 'v5')).toBe(false);
      const { pages, items } = await allPages((r) => store.listPolicyVersions(p.id, r), 2);
      expect(pages.map((x) => x.length)).toEqual([2, 2, 1]);
      expect(items.map((v) => `${v.versionId}${v.isDefaultVersion ? '*' : ''}`)).toEqual(['v6*', 'v4', 'v3', 'v2', 'v1']);
      expect((await store.getDefaultPolicyDocuments([p.arn, 'arn:aws:iam::aws:policy/X'])).get(p.arn)).toEqual({ policyId: p.id, versionId: 'v6', document: doc('s3:V6') });
      await expect(store.createPolicyVersion({ policyId: 'ANPANOPE', document: '{}', setAsDefault: false, createDate: at(1) })).rejects.toBeInstanceOf(StoreReferenceError);
    });

    test('the version quota holds under concurrent creates', async () => {
      const p = await store.createPolicy(newPolicy('p'));
      const { ok, errors } = await settle(Array.from({ length: 8 }, (_, i) =>
        store.createPolicyVersion({ policyId: p.id, document: doc(`s3:C${i}`), setAsDefault: false, createDate: at(i + 1) })));
      expect(ok.map((v) => v.versionId).sort()).toEqual(['v2', 'v3', 'v4', 'v5']);
      expect(errors).toHaveLength(4);
      for (const e of errors) expect(e).toBeInstanceOf(StoreLimitError);
    });

    test('attachments: idempotent, counted, quota, customer and AWS-managed, detach', async () => {
      const u = await store.createUser(newUser('u'));
      const p = await store.createPolicy(newPolicy('Mine', '/team/'));
      const user: EntityRef = { kind: 'user', id: u.id };
      const aws = 'arn:aws:iam::aws:policy/job-function/ViewOnlyAccess';
      expect(await store.attachPolicy({ accountId: ACCOUNT, entity: user, policyArn: p.arn, maxAttached: 2 })).toBe(true);
      expect(await store.attachPolicy({ accountId: ACCOUNT, entity: user, policyArn: p.arn, maxAttached: 2 })).toBe(false);
      expect(await store.attachPolicy({ accountId: ACCOUNT, entity: user, policyArn: aws, maxAttached: 2 })).toBe(true);
      await expect(store.attachPolicy({ accountId: ACCOUNT, entity: user, policyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess', maxAttached: 2 }))
        .rejects.toMatchObject({ kind: 'limit', quota: 'attachedPoliciesPerEntity', limit: 2 });
      expect((await store.getPolicyById(p.id))?.attachmentCount).toBe(1);
      const { items } = await allPages((r) => store.listAttachedPolicies(user, r), 1);
      expect(items).toEqual([
        { accountId: ACCOUNT, entity: user, policyArn: p.arn, policyName: 'Mine', policyPath: '/team/' },
        { accountId: ACCOUNT, entity: user, policyArn: aws, policyName: 'ViewOnlyAccess', policyPath: '/job-function/' },
      ]);
      expect((await store.listAttachedPolicies(user, { pathPrefix: '/job' })).items.map((a) => a.policyName)).toEqual(['ViewOnlyAccess']);
      await expect(store.deletePolicy(p.id)).rejects.toBeInstanceOf(StoreReferenceError);
      expect(await store.detachPolicy({ entity: user, policyArn: p.arn })).toBe(true);
      expect(await store.detachPolicy({ entity: user, policyArn: p.arn })).toBe(false);
      await store.putTags({ kind: 'policy', id: p.id }, [{ key: 'k', value: 'v' }]);
      expect(await store.deletePolicy(p.id)).toBe(true);
      expect(await store.getPolicyVersion(p.id, 'v1')).toBeUndefined();
      expect((await store.listTags({ kind: 'policy', id: p.id })).items).toEqual([]);
      await expect(store.attachPolicy({ accountId: ACCOUNT, entity: { kind: 'role', id: 'AROANOPE' }, policyArn: aws })).rejects.toBeInstanceOf(StoreReferenceError);
    });

    test('listAllAttachedPolicies, usage counts, entities for policy, listPolicies filters', async () => {
      const u = await store.createUser(newUser('zed'));
      const u2 = await store.createUser(newUser('amy', { path: '/ops/' }));
      const g = await store.createGroup(newGroup('grp'));
      const p = await store.createPolicy(newPolicy('Shared'));
      const b = await store.createPolicy(newPolicy('Boundary'));
      await store.createPolicy(newPolicy('Unused'));
      const r = await store.createRole(newRole('role1', { permissionsBoundaryArn: b.arn }));
      await store.updateUser(u2.id, { permissionsBoundaryArn: b.arn });
      const aws = 'arn:aws:iam::aws:policy/ReadOnlyAccess';
      for (const entity of [{ kind: 'user', id: u.id }, { kind: 'group', id: g.id }, { kind: 'role', id: r.id }] as EntityRef[]) {
        await store.attachPolicy({ accountId: ACCOUNT, entity, policyArn: p.arn });
      }
      await store.attachPolicy({ accountId: ACCOUNT, entity: { kind: 'user', id: u.id }, policyArn: aws });

      expect((await store.listAllAttachedPolicies([{ kind: 'user', id: u.id }, { kind: 'group', id: g.id }])).map((a) => `${a.entity.kind}:${a.policyName}`).sort())
        .toEqual(['group:Shared', 'user:ReadOnlyAccess', 'user:Shared']);
      expect(await store.getPolicyById(p.id)).toMatchObject({ attachmentCount: 3, permissionsBoundaryUsageCount: 0 });
      expect(await store.getPolicyById(b.id)).toMatchObject({ attachmentCount: 0, permissionsBoundaryUsageCount: 2 });
      const usage = await store.getPolicyUsage(ACCOUNT);
      expect(Object.fromEntries(usage)).toEqual({
        [p.arn]: { attachmentCount: 3, permissionsBoundaryUsageCount: 0 },
        [b.arn]: { attachmentCount: 0, permissionsBoundaryUsageCount: 2 },
        [aws]: { attachmentCount: 1, permissionsBoundaryUsageCount: 0 },
      });
      expect(Object.fromEntries(await store.getPolicyUsage(ACCOUNT, [aws, 'arn:aws:iam::aws:policy/None']))).toEqual({ [aws]: { attachmentCount: 1, permissionsBoundaryUsageCount: 0 } });
      // By prefix: the AWS-managed policies' usage only (exactly: `%` and `_` in it are themselves).
      expect(Object.fromEntries(await store.getPolicyUsage(ACCOUNT, { prefix: 'arn:aws:iam::aws:policy/' }))).toEqual({ [aws]: { attachmentCount: 1, permissionsBoundaryUsageCount: 0 } });
      expect(Object.fromEntries(await store.getPolicyUsage(ACCOUNT, { prefix: b.arn }))).toEqual({ [b.arn]: { attachmentCount: 0, permissionsBoundaryUsageCount: 2 } });
      expect((await store.getPolicyUsage(ACCOUNT, { prefix: 'arn:aws:iam::aws:policy_' })).size).toBe(0);
      expect((await store.getPolicyUsage(OTHER_ACCOUNT)).size).toBe(0);

      const entities = await allPages((req) => store.listEntitiesForPolicy({ accountId: ACCOUNT, policyArn: p.arn, ...req }), 2);
      expect(entities.items.map((e) => `${e.kind}:${e.name}`)).toEqual(['group:grp', 'role:role1', 'user:zed']);
      expect((await store.listEntitiesForPolicy({ accountId: ACCOUNT, policyArn: p.arn, entityFilter: 'user' })).items.map((e) => e.name)).toEqual(['zed']);
      expect((await store.listEntitiesForPolicy({ accountId: ACCOUNT, policyArn: b.arn, usageFilter: 'PermissionsBoundary' })).items.map((e) => `${e.kind}:${e.name}`)).toEqual(['role:role1', 'user:amy']);
      expect((await store.listEntitiesForPolicy({ accountId: ACCOUNT, policyArn: b.arn, usageFilter: 'PermissionsPolicy' })).items).toEqual([]);
      expect((await store.listEntitiesForPolicy({ accountId: ACCOUNT, policyArn: b.arn, pathPrefix: '/ops/' })).items.map((e) => e.name)).toEqual(['amy']);

      expect((await store.listPolicies({ accountId: ACCOUNT, onlyAttached: true })).items.map((x) => x.name)).toEqual(['Shared']);
      expect((await store.listPolicies({ accountId: ACCOUNT, usageFilter: 'PermissionsBoundary' })).items.map((x) => x.name)).toEqual(['Boundary']);
      expect((await store.listPolicies({ accountId: ACCOUNT, usageFilter: 'PermissionsPolicy' })).items.map((x) => x.name)).toEqual(['Shared']);
      expect((await store.listPolicies({ accountId: ACCOUNT })).items.map((x) => x.name)).toEqual(['Boundary', 'Shared', 'Unused']);
    });

    test('boundary use counts follow every write of a boundary, under concurrent writers; only the boundaries are listed, paged in name order', async () => {
      const policies = new Map<string, Awaited<ReturnType<Store['createPolicy']>>>();
      for (const name of ['b3', 'B1', 'b2', 'Unused']) policies.set(name, await store.createPolicy(newPolicy(name)));
      const boundary = (name: string) => policies.get(name)!.arn;
      const counts = async () => Object.fromEntries((await allPages((r) => store.listPolicies({ accountId: ACCOUNT, ...r }), 3)).items.map((p) => [p.name, p.permissionsBoundaryUsageCount]));
      // Created with a boundary, set, replaced, kept through other changes; an AWS-managed boundary counts for no customer policy.
      const u1 = await store.createUser(newUser('u1', { permissionsBoundaryArn: boundary('B1') }));
      const u2 = await store.createUser(newUser('u2'));
      const r1 = await store.createRole(newRole('r1', { permissionsBoundaryArn: boundary('B1') }));
      const r2 = await store.createRole(newRole('r2', { permissionsBoundaryArn: 'arn:aws:iam::aws:policy/PowerUserAccess' }));
      await store.updateUser(u2.id, { permissionsBoundaryArn: boundary('b2') });
      await store.updateRole(r2.id, { permissionsBoundaryArn: boundary('b2') });
      await store.updateRole(r1.id, { permissionsBoundaryArn: boundary('b3') });
      await store.updateUser(u1.id, { name: 'u1b', arn: 'arn:aws:iam::123456789012:user/u1b' });
      await store.updateRole(r1.id, { description: 'kept', permissionsBoundaryArn: boundary('b3') });
      expect(await counts()).toEqual({ B1: 1, b2: 2, b3: 1, Unused: 0 });
      // Removed, and principals deleted.
      await store.updateUser(u2.id, { permissionsBoundaryArn: null });
      await store.deleteRole(r2.id);
      await store.deleteUser(u1.id);
      expect(await counts()).toEqual({ B1: 0, b2: 0, b3: 1, Unused: 0 });
      expect((await store.getPolicyById(policies.get('b3')!.id))?.permissionsBoundaryUsageCount).toBe(1);

      // Concurrent writers: eight principals set at once, then each swapped to the other boundary at once.
      const many: Array<{ id: string }> = [];
      for (let i = 0; i < 8; i++) many.push(await (i % 2 ? store.createUser(newUser(`c${i}`)) : store.createRole(newRole(`c${i}`))));
      const update = (i: number, arn: string) => (i % 2 ? store.updateUser(many[i]!.id, { permissionsBoundaryArn: arn }) : store.updateRole(many[i]!.id, { permissionsBoundaryArn: arn }));
      await Promise.all(many.map((_, i) => update(i, boundary(i < 4 ? 'B1' : 'b2'))));
      expect(await counts()).toEqual({ B1: 4, b2: 4, b3: 1, Unused: 0 });
      expect((await settle(many.map((_, i) => update(i, boundary(i < 4 ? 'b2' : 'B1'))))).errors).toEqual([]);
      expect(await counts()).toEqual({ B1: 4, b2: 4, b3: 1, Unused: 0 });
      const listed = await allPages((r) => store.listPolicies({ accountId: ACCOUNT, usageFilter: 'PermissionsBoundary', ...r }), 1);
      expect(listed.pages.map((page) => page.map((p) => `${p.name}:${p.permissionsBoundaryUsageCount}`))).toEqual([['B1:4'], ['b2:4'], ['b3:1']]);
      expect((await store.listPolicies({ accountId: ACCOUNT, usageFilter: 'PermissionsBoundary', onlyAttached: true })).items).toEqual([]);

      // A policy created while a principal still names its ARN (a boundary left by a concurrent delete) counts it.
      await store.deleteRole(r1.id);
      expect(await store.deletePolicy(policies.get('b3')!.id)).toBe(true);
      await store.createUser(newUser('early', { permissionsBoundaryArn: boundary('b3') }));
      const again = await store.createPolicy({ ...newPolicy('b3'), arn: boundary('b3') });
      expect((await store.getPolicyById(again.id))?.permissionsBoundaryUsageCount).toBe(1);
      expect((await store.listPolicies({ accountId: ACCOUNT, usageFilter: 'PermissionsBoundary', maxItems: 10 })).items.map((p) => p.name)).toEqual(['B1', 'b2', 'b3']);
    });

    test('attachment counts follow attach and detach; only the attached are listed, paged in name order', async () => {
      const u = await store.createUser(newUser('u'));
      const g = await store.createGroup(newGroup('g'));
      const names = ['p5', 'P1', 'p4', 'p2', 'P3', 'p6'];
      const policies = new Map<string, Awaited<ReturnType<Store['createPolicy']>>>();
      for (const name of names) policies.set(name, await store.createPolicy(newPolicy(name)));
      const attach = (name: string, entity: EntityRef) => store.attachPolicy({ accountId: ACCOUNT, entity, policyArn: policies.get(name)!.arn });
      const detach = (name: string, entity: EntityRef) => store.detachPolicy({ entity, policyArn: policies.get(name)!.arn });
      const user: EntityRef = { kind: 'user', id: u.id };
      const group: EntityRef = { kind: 'group', id: g.id };
      for (const name of ['p5', 'P1', 'P3', 'p6']) await attach(name, user);
      await attach('P1', group);
      await attach('p6', group);
      // Attaching again changes nothing, nor does an AWS-managed policy count for a customer one.
      expect(await attach('P1', user)).toBe(false);
      await store.attachPolicy({ accountId: ACCOUNT, entity: user, policyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' });
      await detach('p6', user);
      await detach('p6', group);
      await detach('p5', user);
      expect(await detach('p5', user)).toBe(false);

      const counts = async () => Object.fromEntries((await allPages((r) => store.listPolicies({ accountId: ACCOUNT, ...r }), 4)).items.map((p) => [p.name, p.attachmentCount]));
      expect(await counts()).toEqual({ P1: 2, p2: 0, P3: 1, p4: 0, p5: 0, p6: 0 });
      expect((await store.getPolicyById(policies.get('P1')!.id))?.attachmentCount).toBe(2);
      for (const usage of [{ onlyAttached: true }, { usageFilter: 'PermissionsPolicy' as const }]) {
        const attached = await allPages((r) => store.listPolicies({ accountId: ACCOUNT, ...usage, ...r }), 1);
        expect(attached.pages.map((page) => page.map((p) => `${p.name}:${p.attachmentCount}`))).toEqual([['P1:2'], ['P3:1']]);
      }
      await detach('P1', user);
      await detach('P1', group);
      await detach('P3', user);
      expect((await store.listPolicies({ accountId: ACCOUNT, onlyAttached: true })).items).toEqual([]);
      expect(Object.values(await counts()).every((n) => n === 0)).toBe(true);
      expect(await store.deletePolicy(policies.get('P1')!.id)).toBe(true);
    });
  });
}
