import type { Kysely, Migration } from 'kysely';

/**
 * A virtual MFA device's clock drift, in 30-second TOTP steps, as ResyncMFADevice last measured
 * it (0 until then, and again when the device is enabled): codes are then looked for around now
 * and around now plus the drift, so a device whose clock runs ahead or behind works after a resync.
 */
export const mfaDriftMigration: Migration = {
  async up(db: Kysely<any>): Promise<void> {
    await db.schema.alterTable('mfa_devices').addColumn('drift_steps', 'integer', (c) => c.notNull().defaultTo(0)).execute();
  },
};
