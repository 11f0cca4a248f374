import { SetMetadata } from '@nestjs/common';
import type { ClientRole } from './client-role';

export const ROLES_KEY = 'kouza-link:auth:roles';

/** The route admits only these roles (checked by `RolesGuard`); on a method it overrides the class. */
export const Roles = (...roles: ClientRole[]) => SetMetadata(ROLES_KEY, roles);
