/** A FIDO2/WebAuthn security key enabled as an IAM user's MFA device. */
export interface SecurityKeyRow {
  accountId: string;
  /** `arn:aws:iam::ACCOUNT:u2f/user/NAME/ID`, as AWS names security keys. */
  serialNumber: string;
  userId: string;
  /** The name the user gave the key at registration. */
  name: string;
  /** The WebAuthn credential id (base64url). */
  credentialId: string;
  /** The COSE public key (base64url). */
  publicKey: string;
  /** The last signature counter accepted. */
  counter: number;
  /** The transports the authenticator reported (`usb`, `nfc`, …). */
  transports: string[];
  enableDate: Date;
  lastUsedDate?: Date;
}

/** Security keys (WebAuthn credentials) of IAM users. */
export interface SecurityKeyStore {
  /** Adds a key: `StoreConflictError` when its credential id is already registered. */
  createSecurityKey(row: SecurityKeyRow): Promise<void>;
  /** The user's keys, by serial number. */
  listSecurityKeys(userId: string): Promise<SecurityKeyRow[]>;
  /** The key of that serial number, or `undefined`. */
  getSecurityKey(serialNumber: string): Promise<SecurityKeyRow | undefined>;
  /**
   * Accepts a signature: stores `counter` only if the stored one is still `previous`, in one
   * conditional write, so of two concurrent uses of the same assertion exactly one gets `true`.
   */
  useSecurityKey(serialNumber: string, input: { previous: number; counter: number; usedAt: Date }): Promise<boolean>;
  /** How many keys the account's users have (`GetAccountSummary` counts them as MFA devices in use). */
  countSecurityKeys(accountId: string): Promise<number>;
  /** Removes the key (`DeactivateMFADevice`); `false` when there was none. */
  deleteSecurityKey(serialNumber: string): Promise<boolean>;
}
