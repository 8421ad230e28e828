/**
 * AWS's eleven IAM best practices, numbered as issue 13 lists them
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html).
 */
import type { PracticeNumber } from './types.js';

export const PRACTICES: ReadonlyArray<{ readonly number: PracticeNumber; readonly title: string }> = [
  { number: 1, title: 'Use individual identities instead of the root user' },
  { number: 2, title: 'Grant least privilege' },
  { number: 3, title: 'Manage permissions through groups' },
  { number: 4, title: 'Use policy conditions' },
  { number: 5, title: 'Keep an audit trail' },
  { number: 6, title: 'Set a strong password policy' },
  { number: 7, title: 'Rotate credentials' },
  { number: 8, title: 'Remove unused credentials' },
  { number: 9, title: 'Require MFA for privileged users' },
  { number: 10, title: 'Delegate with roles' },
  { number: 11, title: 'Use roles for workloads' },
];
