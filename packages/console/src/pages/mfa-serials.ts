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

/** One page of ListVirtualMFADevices (AssignmentStatus Unassigned): its serials and the marker of the next. */
export interface UnassignedPage {
  serials: string[];
  marker?: string | undefined;
}

/** The unassigned devices a user's page offers to delete. */
export interface UnassignedOffer {
  /** The device named after the user (`mfa/<user>`), found wherever it is in the listing. */
  named: string[];
  /** Only for an administrator's view of another user: the first page of the account's other unassigned devices. */
  others: string[];
  /** Whether `others` is only the first page. */
  more: boolean;
}

/** Pages read at most looking for the device named after the user (1,000 devices a page). */
export const UNASSIGNED_MAX_PAGES = 100;

/**
 * What a user's page offers: on the caller's own page (`self`) only the device named after the user,
 * looked for page after page (not only on the first); for an administrator, that device and, apart,
 * the first page of the account's other unassigned devices (an enrolment may have been given any name).
 */
export async function unassignedOffer(listPage: (marker: string | undefined) => Promise<UnassignedPage>, userName: string, self: boolean): Promise<UnassignedOffer> {
  const named: string[] = [];
  let others: string[] = [];
  let more = false;
  let marker: string | undefined;
  for (let page = 0; page < UNASSIGNED_MAX_PAGES; page++) {
    const r = await listPage(marker);
    named.push(...r.serials.filter((s) => isUsersVirtualSerial(s, userName)));
    if (page === 0 && !self) {
      others = r.serials.filter((s) => !isUsersVirtualSerial(s, userName));
      more = r.marker !== undefined;
    }
    marker = r.marker;
    if (named.length > 0 || marker === undefined) break;
  }
  return { named, others, more };
}
