/**
 * The database schema as Kysely sees it (snake_case tables and columns). Portable conventions, the
 * same on SQLite and PostgreSQL:
 * - ids, names, ARNs, documents: `text`;
 * - times: `bigint` milliseconds since the epoch (PostgreSQL's int8 is parsed to `number`; every
 *   value used here is far below 2^53);
 * - booleans: `integer` 0/1;
 * - case-insensitive names: a `name_lower` column (JavaScript `toLowerCase()` of the name) under a
 *   unique index, rather than collations, which the two databases do not share.
 *
 * @internal
 */
import type { Generated } from 'kysely';

export interface Database {
  meta: { key: string; value: string };
  accounts: { id: string; create_date: number; password_policy: string | null; settings: string; root_password_hash: string | null; root_password_last_used: number | null };
  console_guards: { kind: string; key: string; failures: number; blocked_until: number; expires_at: number };
  security_keys: {
    id: string;
    account_id: string;
    user_id: string;
    name: string;
    credential_id: string;
    public_key: string;
    counter: number;
    transports: string;
    enable_date: number;
    last_used_date: number | null;
  };
  account_aliases: { alias: string; account_id: string; create_date: number };
  users: {
    id: string;
    account_id: string;
    name: string;
    name_lower: string;
    path: string;
    arn: string;
    create_date: number;
    permissions_boundary_arn: string | null;
    password_last_used: number | null;
  };
  groups: { id: string; account_id: string; name: string; name_lower: string; path: string; arn: string; create_date: number };
  group_members: { group_id: string; user_id: string; account_id: string };
  roles: {
    id: string;
    account_id: string;
    name: string;
    name_lower: string;
    path: string;
    arn: string;
    create_date: number;
    assume_role_policy_document: string;
    description: string | null;
    max_session_duration: number;
    permissions_boundary_arn: string | null;
    last_used_date: number | null;
    last_used_region: string | null;
  };
  managed_policies: {
    id: string;
    account_id: string;
    name: string;
    name_lower: string;
    path: string;
    arn: string;
    description: string | null;
    default_version_id: string;
    last_version_number: number;
    create_date: number;
    update_date: number;
    /** Attachments of the policy, kept by triggers (migration 0022). */
    attachment_count: Generated<number>;
    /** Users and roles with the policy as their permissions boundary, kept by triggers (migration 0024). */
    boundary_count: Generated<number>;
  };
  policy_versions: { policy_id: string; version_id: string; version_number: number; document: string; create_date: number };
  /** One row per entity and ARN; exactly one of user_id/group_id/role_id is set (the FK to the entity). */
  policy_attachments: {
    account_id: string;
    entity_kind: string;
    entity_id: string;
    user_id: string | null;
    group_id: string | null;
    role_id: string | null;
    policy_arn: string;
    /** Set for customer managed policies: the FK that blocks deleting an attached policy. */
    policy_id: string | null;
    policy_name: string;
    policy_path: string;
  };
  inline_policies: {
    account_id: string;
    entity_kind: string;
    entity_id: string;
    user_id: string | null;
    group_id: string | null;
    role_id: string | null;
    name: string;
    name_lower: string;
    document: string;
  };
  /** Tags of users, roles and policies; `key_norm` is the key as the target kind compares it. */
  tags: {
    target_kind: string;
    target_id: string;
    user_id: string | null;
    role_id: string | null;
    policy_id: string | null;
    mfa_device_id: string | null;
    server_certificate_id: string | null;
    instance_profile_id: string | null;
    oidc_provider_id?: string | null;
    saml_provider_id?: string | null;
    key: string;
    key_norm: string;
    value: string;
    position: number;
  };
  instance_profiles: { id: string; account_id: string; name: string; name_lower: string; path: string; arn: string; create_date: number };
  /** The role of each instance profile (at most one: the profile is the primary key). */
  instance_profile_roles: { instance_profile_id: string; role_id: string; account_id: string };
  /** DeleteServiceLinkedRole tasks, for GetServiceLinkedRoleDeletionStatus. */
  service_linked_role_deletions: { task_id: string; account_id: string; status: string; reason: string | null; create_date: number };
  access_keys: {
    access_key_id: string;
    account_id: string;
    owner_kind: string;
    user_id: string | null;
    secret_sealed: string;
    status: string;
    create_date: number;
    last_used_date: number | null;
    last_used_service: string | null;
    last_used_region: string | null;
  };
  login_profiles: {
    user_id: string;
    account_id: string;
    password_hash: string;
    password_reset_required: number;
    create_date: number;
    password_changed_date: number | null;
  };
  password_history: { user_id: string; seq: number; password_hash: string; set_date: number };
  mfa_devices: {
    id: string;
    account_id: string;
    name: string;
    name_lower: string;
    path: string;
    seed_sealed: string;
    create_date: number;
    owner_kind: string | null;
    user_id: string | null;
    enable_date: number | null;
    last_used_step: number | null;
    last_used_date: number | null;
    /** Clock drift in TOTP steps measured by ResyncMFADevice (migration 0025). */
    drift_steps: number;
  };
  ssh_public_keys: { id: string; account_id: string; user_id: string; body: string; fingerprint: string; status: string; upload_date: number };
  signing_certificates: {
    id: string;
    account_id: string;
    owner_kind: string;
    user_id: string | null;
    body: string;
    fingerprint: string;
    status: string;
    upload_date: number;
  };
  /** IAM OIDC providers; `id` is the ARN, `client_ids` and `thumbprints` JSON arrays of strings. */
  oidc_providers: { id: string; account_id: string; url: string; client_ids: string; thumbprints: string; create_date: number };
  /** IAM SAML providers; `id` is the ARN. */
  saml_providers: { id: string; account_id: string; name: string; metadata_document: string; create_date: number; valid_until: number | null };
  /** SAML assertions already used (AssumeRoleWithSAML), until they expire. */
  saml_assertions: { key: string; expires_at: number };
  server_certificates: {
    id: string;
    account_id: string;
    name: string;
    name_lower: string;
    path: string;
    arn: string;
    body: string;
    chain: string | null;
    /** The private key sealed with the SecretBox (bound to the certificate id); never read back. */
    private_key_sealed: string;
    expiration: number;
    upload_date: number;
  };
  leases: { name: string; holder: string; expires_at: number };
  account_trails: { account_id: string; logging: number; start_logging_time: number | null; stop_logging_time: number | null; tags: string; event_selectors: string | null };
  /** Entities per account and table, kept by triggers (migration 0021); `kind` is the table's name. */
  account_entity_counts: { account_id: string; kind: 'users' | 'groups' | 'roles' | 'managed_policies' | 'instance_profiles'; count: number | string };
  workload_registrations: { id: string; account_id: string; instance_profile_name: string; secret_hash: string; created_at: number; revoked_at: number | null };
  credential_reports: { account_id: string; state: string; started_at: number; generated_at: number | null; content: string | null };
  action_last_accessed: { entity_id: string; action: string; account_id: string; entity_kind: string; last_at: number; region: string };
  access_report_jobs: { job_id: string; account_id: string; arn: string; granularity: string; created_at: number; completed_at: number; result: string };
  service_specific_credentials: {
    id: string;
    account_id: string;
    user_id: string;
    service_name: string;
    service_user_name: string;
    /** The argon2id PHC string; the password itself is never stored. */
    password_hash: string;
    status: string;
    create_date: number;
  };
  audit_events: {
    seq: number;
    event_id: string;
    account_id: string;
    event_time: number;
    event_source: string;
    event_name: string;
    read_only: number;
    username: string | null;
    access_key_id: string | null;
    error_code: string | null;
    record: string;
    prev_hash: string;
    hash: string;
  };
  /** Denormalized account/time so resource filters page through one index. */
  audit_event_resources: { seq: number; position: number; account_id: string; event_time: number; resource_type: string; resource_name: string };
}
