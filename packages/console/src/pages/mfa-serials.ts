/**
 * Whether an unassigned virtual MFA device is the one AWS names after a user:
 * `arn:aws:iam::ACCOUNT:mfa/USERNAME` (the console's default device name). An unassigned device names
 * no user, so its name is all there is to go by; a device under a path, or named otherwise, is not
 * taken for the user's.
 */
export function isUsersVirtualSerial(serial: string, userName: string): boolean {
  const match = /^arn:aws:iam::\d{12}:mfa\/([^/]+)$/.exec(serial);
  return match !== null && match[1] === userName;
}
