import { type CliCommand, requiredString } from './cli-command';

export const actorBlocksCommand: CliCommand = {
  usage: 'actor-blocks [--all]',
  summary: 'blocks of devices, app customers and addresses (R8); only those in force unless --all',
  positionals: [],
  options: { all: { type: 'boolean' } },
  role: 'operator',
  async run({ values, io, admin }) {
    const { items } = await admin().actorBlocks(values.all !== true);
    if (items.length === 0) io.out('No blocks.\n');
    for (const block of items) {
      const lifted = block.liftedAt
        ? `  lifted ${block.liftedAt} (${block.liftReason ?? ''})`
        : block.expiredAt
          ? `  ran out ${block.expiredAt}`
          : '';
      io.out(
        `${block.id}  ${block.actor.kind} ${block.actor.paymentAppId}/${block.actor.key}  until ${block.until}  ${block.reason}, ${block.accountsTried} accounts${lifted}\n`,
      );
    }
    return 0;
  },
};

export const liftActorBlockCommand: CliCommand = {
  usage: 'lift-actor-block <id> --reason <text>',
  summary: "lift an actor's block (recorded with the operator and the reason)",
  positionals: ['id'],
  options: { reason: { type: 'string' } },
  role: 'operator',
  async run({ args, values, io, admin }) {
    const block = await admin().liftActorBlock(args.id as string, requiredString(values, 'reason'));
    io.out(`Block ${block.id} on ${block.actor.kind} ${block.actor.key} is lifted.\n`);
    return 0;
  },
};
