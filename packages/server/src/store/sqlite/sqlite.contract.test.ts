import { describe, it } from 'vitest';
import { runStoreContract } from '../contract/suite.js';
import { createTestStore, testDialects } from '../testing.js';

if (testDialects().includes('sqlite')) runStoreContract({ name: 'sqlite', newStore: () => createTestStore('sqlite') });
else describe.skip('store contract: sqlite (deselected by CASTELLAN_TEST_DIALECTS)', () => it('deselected', () => {}));
