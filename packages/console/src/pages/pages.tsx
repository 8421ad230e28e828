import type { ComponentType } from 'react';
import type { ConsoleSession } from '../api/session.js';
import { CredentialsPage } from './credentials-page.js';
import { PoliciesPage } from './policies-page.js';
import { PrincipalsPage } from './principals-page.js';
import { SimulatorPage } from './simulator-page.js';
import { TrailPage } from './trail-page.js';

export interface PageProps {
  session: ConsoleSession;
  /** The whole fragment route, e.g. `users/alice`. */
  route: string;
}

/** The console's sections, in the navigation's order. */
export const PAGES: ReadonlyArray<{ route: string; title: string; component: ComponentType<PageProps> }> = [
  { route: 'users', title: 'Users', component: (p) => <PrincipalsPage kind="users" {...p} /> },
  { route: 'groups', title: 'Groups', component: (p) => <PrincipalsPage kind="groups" {...p} /> },
  { route: 'roles', title: 'Roles', component: (p) => <PrincipalsPage kind="roles" {...p} /> },
  { route: 'policies', title: 'Policies', component: PoliciesPage },
  { route: 'simulator', title: 'Policy simulator', component: SimulatorPage },
  { route: 'trail', title: 'Audit trail', component: TrailPage },
  { route: 'credentials', title: 'Credential report', component: CredentialsPage },
];
