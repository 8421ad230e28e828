import type { Migration, MigrationProvider } from 'kysely';
import { initialMigration } from './0001-initial.js';
import { passwordsAndMfaMigration } from './0004-passwords-and-mfa.js';
import { credentialKindsMigration } from './0005-credential-kinds.js';
import { instanceProfilesServiceLinkedRolesMigration } from './0006-instance-profiles-service-linked-roles.js';
import { credentialHygieneMigration } from './0007-credential-hygiene.js';
import { workloadRegistrationsMigration } from './0009-workload-registrations.js';
import { oidcProvidersMigration } from './0010-oidc-providers.js';
import { rootPasswordMigration } from './0011-root-password.js';
import { consoleGuardsSecurityKeysMigration } from './0012-console-guards-security-keys.js';
import { samlProvidersMigration } from './0013-saml-providers.js';
import { pagingIndexesMigration } from './0016-paging-indexes.js';
import { leasesMigration } from './0017-leases.js';
import { accountEntityCountsMigration } from './0021-account-entity-counts.js';
import { policyAttachmentCountsMigration } from './0022-policy-attachment-counts.js';
import { auditSeqRowidMigration } from './0023-audit-seq-rowid.js';
import { policyBoundaryCountsMigration } from './0024-policy-boundary-counts.js';
import { mfaDriftMigration } from './0025-mfa-drift.js';
import { accountTrailsMigration } from './0026-account-trails.js';

/**
 * Every migration, by name; names sort in the order they run. Add new ones at the end and never
 * edit one that has shipped.
 */
export const MIGRATIONS: Readonly<Record<string, Migration>> = Object.freeze({
  '0001-initial': initialMigration,
  '0004-passwords-and-mfa': passwordsAndMfaMigration,
  '0005-credential-kinds': credentialKindsMigration,
  '0006-instance-profiles-service-linked-roles': instanceProfilesServiceLinkedRolesMigration,
  '0007-credential-hygiene': credentialHygieneMigration,
  '0009-workload-registrations': workloadRegistrationsMigration,
  '0010-oidc-providers': oidcProvidersMigration,
  '0011-root-password': rootPasswordMigration,
  '0012-console-guards-security-keys': consoleGuardsSecurityKeysMigration,
  '0013-saml-providers': samlProvidersMigration,
  '0016-paging-indexes': pagingIndexesMigration,
  '0017-leases': leasesMigration,
  '0021-account-entity-counts': accountEntityCountsMigration,
  '0022-policy-attachment-counts': policyAttachmentCountsMigration,
  '0023-audit-seq-rowid': auditSeqRowidMigration,
  '0024-policy-boundary-counts': policyBoundaryCountsMigration,
  '0025-mfa-drift': mfaDriftMigration,
  '0026-account-trails': accountTrailsMigration,
});

/** Hands Kysely's `Migrator` the migrations compiled into the server (no directory scanning). */
export const migrationProvider: MigrationProvider = {
  async getMigrations() {
    return { ...MIGRATIONS };
  },
};
