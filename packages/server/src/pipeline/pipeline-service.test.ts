import { describe, expect, it } from 'vitest';
import { servedRegion } from './pipeline-service.js';

describe('servedRegion', () => {
  // AWS serves IAM from us-east-1 whatever region a request names; a regional service where asked.
  it.each([
    ['a global service', { global: true }, 'eu-west-1', 'us-east-1'],
    ['a regional service', { global: false }, 'eu-west-1', 'eu-west-1'],
    ['an unknown service', undefined, 'ap-south-1', 'ap-south-1'],
  ])('%s', (_what, service, region, served) => {
    expect(servedRegion(service, region)).toBe(served);
  });
});
