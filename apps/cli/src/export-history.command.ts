import { type CliCommand, optionalString, requiredString } from './cli-command';

export const exportHistoryCommand: CliCommand = {
  usage: 'export-history <linkId> --case <caseId> [--out <file.json>]',
  summary: 'every event of a link, with its metadata, as JSON (investigator; the read is recorded with the case)',
  positionals: ['linkId'],
  options: { case: { type: 'string' }, out: { type: 'string' } },
  role: 'investigator',
  async run({ args, values, io, investigator }) {
    const caseId = requiredString(values, 'case');
    const history = await investigator().linkHistory(args.linkId as string, caseId);
    const json = `${JSON.stringify({ case: caseId, exportedAt: io.now().toISOString(), ...history }, null, 2)}\n`;
    const out = optionalString(values, 'out');
    if (out === undefined) {
      io.out(json);
      return 0;
    }
    await io.writeFile(out, json);
    io.out(
      `Wrote ${history.events.length} events of ${history.linkId}, ${history.bankAccountGuardEvents.length} of its account's guard and ${history.debitEvents.length} of its debits to ${out} (case ${caseId}).\n`,
    );
    return 0;
  },
};
