import { SetMetadata } from '@nestjs/common';

export const SCOPES_KEY = 'kouza-link:auth:scopes';

/** The token must carry every one of these scopes (checked by `RolesGuard`); on a method it overrides the class. */
export const Scopes = (...scopes: string[]) => SetMetadata(SCOPES_KEY, scopes);
