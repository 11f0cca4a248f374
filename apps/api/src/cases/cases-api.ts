import { AdminCasesHttpController } from './admin-cases.http.controller';
import { CasesHttpController } from './cases.http.controller';

/** The api role's part of complaint cases (API.md "Complaint cases"); `ComplaintCases` comes from the core module. */
export const CASES_API = { controllers: [CasesHttpController, AdminCasesHttpController], providers: [] };
