/** One stream per complaint case (ARCHITECTURE.md "Streams": `case-{id}`, decided by the case decider). */
export const CASE_STREAM_PREFIX = 'case-';
export const caseStream = (caseId: string) => `${CASE_STREAM_PREFIX}${caseId}`;

/** What a case id looks like at the edge (`cas_…`); anything else is no case of ours. */
export const CASE_ID_PATTERN = /^cas_[A-Za-z0-9_-]{1,64}$/;
