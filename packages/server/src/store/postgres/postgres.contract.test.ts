import { describe, it } from 'vitest';
import { runStoreContract } from '../contract/suite.js';
import { createTestStore, testDialects } from '../testing.js';

// Each test gets a fresh schema with a random name at CASTELLAN_TEST_POSTGRES_URL, dropped after it.
// An unreachable PostgreSQL makes every test fail: only CASTELLAN_TEST_DIALECTS can leave it out.
if (testDialects().includes('postgres')) runStoreContract({ name: 'postgres', newStore: () => createTestStore('postgres') });
else describe.skip('store contract: postgres (deselected by CASTELLAN_TEST_DIALECTS)', () => it('deselected', () => {}));
