import { describe, expect, it } from 'vitest';
import { StoreUnavailableError } from '../store-errors.js';
import { connectionName, isPgConnectionFailure, postgresTarget } from './postgres-connection.js';
import { translatePostgresError } from './postgres-errors.js';

describe('postgresTarget', () => {
  it.each([
    ['postgres://u@h:5432/db', { connectionString: 'postgres://u@h:5432/db', applicationName: 'castellan' }],
    ['postgres://u@h:5432/db?schema=iam', { connectionString: 'postgres://u@h:5432/db', schema: 'iam', applicationName: 'castellan' }],
    ['postgres://u@h:5432/db?application_name=node-a&sslmode=require', { connectionString: 'postgres://u@h:5432/db?sslmode=require', applicationName: 'node-a' }],
    ['postgres://u@h:5432/db?application_name=&schema=s', { connectionString: 'postgres://u@h:5432/db', schema: 's', applicationName: 'castellan' }],
  ])('%s', (url, expected) => {
    expect(postgresTarget(url)).toEqual(expected);
  });
});

describe('connectionName', () => {
  it.each([
    ['castellan', undefined, 'castellan'],
    ['castellan', 'audit', 'castellan-audit'],
    ['node-a', 'change-feed-publish', 'node-a-change-feed-publish'],
    // PostgreSQL keeps 63 bytes, cut on a character boundary
    ['n'.repeat(60), 'audit', `${'n'.repeat(60)}-au`],
    ['é'.repeat(40), undefined, 'é'.repeat(31)],
  ])('%s, %s', (applicationName, role, expected) => {
    expect(connectionName({ connectionString: '', applicationName }, role)).toBe(expected);
  });
});

describe("pg's errors of a lost connection or an unanswered wait", () => {
  it.each([
    'Connection terminated unexpectedly',
    'Connection terminated due to connection timeout',
    'Query read timeout',
    'timeout exceeded when trying to connect',
    'Client has encountered a connection error and is not queryable',
  ])('%s is unavailable', (message) => {
    expect(translatePostgresError(new Error(message))).toBeInstanceOf(StoreUnavailableError);
  });

  it.each([
    ['a refusal with a SQLSTATE, whatever its text', Object.assign(new Error('Query read timeout'), { code: '22001' })],
    ['another message', new Error('Query values must be an array')],
    ['not an Error', 'Connection terminated unexpectedly'],
  ])('%s is not', (_, error) => {
    expect(isPgConnectionFailure(error)).toBe(false);
  });
});
