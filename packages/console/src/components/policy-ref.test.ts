import { describe, expect, it } from 'vitest';
import { policyRef, splitStatementId } from './policy-ref.js';

describe('policyRef', () => {
  it.each([
    ['user-managed:arn:aws:iam::123456789012:policy/team/self-service:v2', { label: 'arn:aws:iam::123456789012:policy/team/self-service (v2)', href: '#/policies/arn%3Aaws%3Aiam%3A%3A123456789012%3Apolicy%2Fteam%2Fself-service' }],
    ['aws-managed:arn:aws:iam::aws:policy/ReadOnlyAccess:v1', { label: 'arn:aws:iam::aws:policy/ReadOnlyAccess (v1)', href: '#/policies/arn%3Aaws%3Aiam%3A%3Aaws%3Apolicy%2FReadOnlyAccess' }],
    ['session-managed:aws-managed:arn:aws:iam::aws:policy/ReadOnlyAccess:v3', { label: 'arn:aws:iam::aws:policy/ReadOnlyAccess (v3)', href: '#/policies/arn%3Aaws%3Aiam%3A%3Aaws%3Apolicy%2FReadOnlyAccess' }],
    ['boundary:arn:aws:iam::123456789012:policy/limit', { label: 'arn:aws:iam::123456789012:policy/limit (permissions boundary)', href: '#/policies/arn%3Aaws%3Aiam%3A%3A123456789012%3Apolicy%2Flimit' }],
    ['user:alice:self', { label: 'inline policy self of user alice', href: '#/users/alice' }],
    ['group:dev ops:read', { label: 'inline policy read of group dev ops', href: '#/groups/dev%20ops' }],
    ['role:deployer:trust-less', { label: 'inline policy trust-less of role deployer', href: '#/roles/deployer' }],
    ['session:1', { label: 'session:1' }],
    ['account-password-policy:AllowUsersToChangePassword', { label: 'account-password-policy:AllowUsersToChangePassword' }],
  ])('%s', (policyId, expected) => {
    expect(policyRef(policyId)).toEqual(expected);
  });
});

describe('splitStatementId', () => {
  it.each([
    ['user:alice:self#NoListing', { policyId: 'user:alice:self', statement: 'NoListing' }],
    ['user-managed:arn:aws:iam::123456789012:policy/p:v1#0', { policyId: 'user-managed:arn:aws:iam::123456789012:policy/p:v1', statement: '0' }],
    ['session:none', { policyId: 'session:none', statement: '' }],
  ])('%s', (id, expected) => {
    expect(splitStatementId(id)).toEqual(expected);
  });
});
