import type { CaseSummaryView } from './admin-client';
import type { CliCommand } from './cli-command';

const STATUSES = ['open', 'awaiting_agreement', 'decided', 'overdue'];

const lineOf = (c: CaseSummaryView) =>
  `${c.id}  ${c.status.padEnd(18)} ${c.category.padEnd(18)} link ${c.linkId}  app ${c.paymentAppId}  bank ${c.bankCode}  respond by ${c.respondBy}\n`;

export const casesCommand: CliCommand = {
  usage: 'cases [--status open|awaiting_agreement|decided|overdue] [--link <lnk_…>] [--cursor <c>]',
  summary: 'complaint cases of every app and bank (R12), newest first; --status overdue for the late ones',
  positionals: [],
  options: { status: { type: 'string' }, link: { type: 'string' }, cursor: { type: 'string' } },
  role: 'operator',
  async run({ values, io, admin }) {
    const status = typeof values.status === 'string' ? values.status : undefined;
    if (status !== undefined && !STATUSES.includes(status)) {
      io.err(`--status must be one of ${STATUSES.join(', ')}\n`);
      return 2;
    }
    const page = await admin().cases({
      ...(status ? { status } : {}),
      ...(typeof values.link === 'string' ? { linkId: values.link } : {}),
      ...(typeof values.cursor === 'string' ? { cursor: values.cursor } : {}),
    });
    if (page.items.length === 0) io.out('No cases.\n');
    for (const item of page.items) io.out(lineOf(item));
    if (page.nextCursor) io.out(`more: --cursor ${page.nextCursor}\n`);
    return 0;
  },
};

export const showCaseCommand: CliCommand = {
  usage: 'show-case <cas_…>',
  summary: 'one complaint case: its parties, deadline, notes, proposal and decision',
  positionals: ['id'],
  options: {},
  role: 'operator',
  async run({ args, io, admin }) {
    const c = await admin().case(args.id as string);
    io.out(lineOf(c));
    io.out(`  opened by ${c.openedBy} at ${c.openedAt}${c.overdueAt ? `, overdue since ${c.overdueAt}` : ''}\n`);
    if (c.summary) io.out(`  summary: ${c.summary}\n`);
    for (const note of c.notes) io.out(`  note ${note.at} ${note.by}: ${note.text ?? '(erased)'}\n`);
    if (c.proposal) {
      io.out(`  proposed by ${c.proposal.proposedBy} at ${c.proposal.proposedAt}: ${decisionText(c.proposal)}\n`);
    }
    if (c.decision)
      io.out(`  decided by ${c.decision.decidedBy} at ${c.decision.decidedAt}: ${decisionText(c.decision)}\n`);
    return 0;
  },
};

function decisionText(decision: {
  outcome: string;
  compensation?: { amount: number; paidBy: string; appShare?: number } | null;
}): string {
  const paid = decision.compensation;
  if (!paid) return decision.outcome;
  const share = paid.appShare !== undefined ? `, app's share ${paid.appShare} yen` : '';
  return `${decision.outcome}, ${paid.amount} yen paid by ${paid.paidBy}${share}`;
}
