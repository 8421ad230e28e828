import type { ComponentType } from 'react';
import type { ConsoleSession } from '../api/session.js';
import { PoliciesPage } from './policies-page.js';
import { PrincipalsPage } from './principals-page.js';

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
];
