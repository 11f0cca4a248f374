import { randomBytes } from 'node:crypto';

/** What a link id looks like at the edge (API.md: opaque `lnk_…`); anything else is no link of ours. */
export const LINK_ID_PATTERN = /^lnk_[A-Za-z0-9_-]{1,64}$/;

/** Unguessable, URL-safe link ids, of the shape `LINK_ID_PATTERN` admits. */
export const newLinkId = (): string => `lnk_${randomBytes(16).toString('base64url')}`;
