import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { AWS_ERRORS } from './aws-errors.js';
import { IAM_MODEL } from './iam-model.js';
import { STS_MODEL } from './sts-model.js';
import { CASTELLAN_MODEL } from './castellan-model.js';
import { CASTELLAN_ACTIONS } from '../../catalog/castellan-actions.js';

const here = fileURLToPath(new URL('.', import.meta.url));
const script = fileURLToPath(new URL('../../../scripts/codegen.mjs', import.meta.url));
const domainDir = fileURLToPath(new URL('../../domain/', import.meta.url));
const catalogDir = fileURLToPath(new URL('../../catalog/', import.meta.url));
const out = mkdtempSync(join(tmpdir(), 'castellan-codegen-'));
const domainOut = mkdtempSync(join(tmpdir(), 'castellan-codegen-domain-'));
const catalogOut = mkdtempSync(join(tmpdir(), 'castellan-codegen-catalog-'));
afterAll(() => {
  rmSync(out, { recursive: true, force: true });
  rmSync(domainOut, { recursive: true, force: true });
  rmSync(catalogOut, { recursive: true, force: true });
});

describe('generated model files', () => {
  it('are up to date with scripts/codegen.mjs and the AWS models', () => {
    // Given a fresh run of the generator into a temporary folder
    execFileSync(process.execPath, [script], { env: { ...process.env, CASTELLAN_CODEGEN_OUT: out, CASTELLAN_CODEGEN_DOMAIN_OUT: domainOut, CASTELLAN_CODEGEN_CATALOG_OUT: catalogOut }, stdio: 'pipe' });
    // Then every generated file equals the committed one
    const generated = readdirSync(out).sort();
    expect(generated).toEqual(['aws-errors.ts', 'castellan-model.ts', 'castellan-types.ts', 'cloudtrail-model.ts', 'cloudtrail-types.ts', 'iam-model.ts', 'iam-types.ts', 'sts-model.ts', 'sts-types.ts']);
    for (const f of generated) expect(readFileSync(join(out, f), 'utf8'), f).toBe(readFileSync(join(here, f), 'utf8'));
    expect(readFileSync(join(domainOut, 'aws-error-code.ts'), 'utf8')).toBe(readFileSync(join(domainDir, 'aws-error-code.ts'), 'utf8'));
    expect(readFileSync(join(catalogOut, 'castellan-actions.ts'), 'utf8')).toBe(readFileSync(join(catalogDir, 'castellan-actions.ts'), 'utf8'));
  });

  it.each([
    ['NoSuchEntity', 404, true],
    ['EntityAlreadyExists', 409, true],
    ['MalformedPolicyDocument', 400, true],
    ['DeleteConflict', 409, true],
    ['LimitExceeded', 409, true],
    ['ServiceFailure', 500, false],
    ['ExpiredTokenException', 400, true],
    ['AccessDenied', 403, true],
    ['SignatureDoesNotMatch', 403, true],
    ['InvalidClientTokenId', 403, true],
  ] as const)('%s is %i, sender fault %s', (code, status, sender) => {
    expect(AWS_ERRORS[code]).toEqual({ httpStatus: status, senderFault: sender });
  });

  it('keeps what the wire needs: versions, namespaces, result wrappers, constraints', () => {
    expect(IAM_MODEL.apiVersion).toBe('2010-05-08');
    expect(STS_MODEL.xmlNamespace).toBe('https://sts.amazonaws.com/doc/2011-06-15/');
    expect(IAM_MODEL.operations.CreateUser).toMatchObject({ input: 'CreateUserRequest', output: 'CreateUserResponse', resultWrapper: 'CreateUserResult' });
    expect(IAM_MODEL.shapes.userNameType).toMatchObject({ type: 'string', min: 1, max: 64, pattern: '[\\w+=,.@-]+' });
    expect(JSON.stringify(IAM_MODEL)).not.toContain('documentation');
  });

  it('converts Castellan\'s Smithy model: JSON 1.1, its target prefix, constraints, errors, sensitive members', () => {
    expect(CASTELLAN_MODEL).toMatchObject({ signingName: 'castellan', protocol: 'json', jsonVersion: '1.1', targetPrefix: 'Castellan_20261201', apiVersion: '2026-12-01' });
    expect(CASTELLAN_MODEL.operations.RegisterWorkload).toMatchObject({ input: 'RegisterWorkloadRequest', output: 'RegisterWorkloadResponse', errors: ['NoSuchEntityException'] });
    expect(CASTELLAN_MODEL.shapes.RegisterWorkloadRequest).toMatchObject({ type: 'structure', required: ['InstanceProfileName'] });
    expect(CASTELLAN_MODEL.shapes.InstanceProfileName).toMatchObject({ type: 'string', min: 1, max: 128 });
    expect(CASTELLAN_MODEL.shapes.BootstrapSecret).toMatchObject({ sensitive: true });
    expect(AWS_ERRORS.DuplicateAccountException).toEqual({ httpStatus: 409, senderFault: true });
    expect(CASTELLAN_ACTIONS.CreateAccount).toEqual({ accessLevel: 'Write', resourceTypes: [] });
  });
});
