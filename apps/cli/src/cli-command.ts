import { type ParseArgsOptionsConfig, parseArgs } from 'node:util';
import type { AdminClient } from './admin-client';
import type { InvestigatorClient } from './investigator-client';
import type { WebhooksClient } from './webhooks-client';

/** Where a command writes, and the little of the world it touches besides the service. */
export interface CliIo {
  out(text: string): void;
  err(text: string): void;
  /** stderr is a terminal: progress bars redraw their line. */
  interactive: boolean;
  sleep(ms: number): Promise<void>;
  writeFile(path: string, content: string): Promise<void>;
  now(): Date;
}

/** A mistake in the command line: the CLI says what and shows the command's usage (exit code 2). */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export type CommandRole = 'operator' | 'investigator' | 'payment_app_or_bank';

export type ParsedValues = Record<string, string | boolean | undefined>;

export interface CommandContext {
  /** The positional arguments, by the names of the command's spec. */
  args: Record<string, string>;
  values: ParsedValues;
  io: CliIo;
  env: Record<string, string | undefined>;
  admin(): AdminClient;
  investigator(): InvestigatorClient;
  webhooks(): WebhooksClient;
}

export interface CliCommand {
  /** e.g. `suspend-bank <code> --reason <text>` */
  usage: string;
  summary: string;
  positionals: readonly string[];
  options?: ParseArgsOptionsConfig;
  /**
   * Whose token the command needs: decides the default client and secret variable. `payment_app_or_bank`: the
   * client whose own resources (webhook endpoints) these are; the sandbox app unless another is chosen.
   */
  role: CommandRole;
  /** Needs no service and no secret (e.g. verifying evidence offline). */
  offline?: boolean;
  run(context: CommandContext): Promise<number>;
}

export function parseCommandLine(
  command: CliCommand,
  argv: readonly string[],
): { args: Record<string, string>; values: ParsedValues } {
  let parsed: { values: ParsedValues; positionals: string[] };
  try {
    parsed = parseArgs({
      args: [...argv],
      options: command.options ?? {},
      allowPositionals: true,
      allowNegative: true,
      strict: true,
    }) as { values: ParsedValues; positionals: string[] };
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  if (parsed.positionals.length !== command.positionals.length) {
    const expected = command.positionals.map((name) => `<${name}>`).join(' ') || 'no argument';
    throw new UsageError(`expected ${expected}, got ${parsed.positionals.length} argument(s)`);
  }
  const args = Object.fromEntries(command.positionals.map((name, index) => [name, parsed.positionals[index] ?? '']));
  return { args, values: parsed.values };
}

export function requiredString(values: ParsedValues, name: string): string {
  const value = values[name];
  if (typeof value !== 'string' || value.trim() === '') throw new UsageError(`--${name} is required`);
  return value;
}

export function optionalString(values: ParsedValues, name: string): string | undefined {
  const value = values[name];
  return typeof value === 'string' ? value : undefined;
}

export function wholeMinutes(value: string, name: string): number {
  if (!/^\d+$/.test(value)) throw new UsageError(`--${name} must be a whole number of minutes`);
  return Number(value);
}

/** `now` or an ISO 8601 time with its zone, as the service takes it. */
export function instant(value: string, name: string, now: Date): string {
  if (value === 'now') return now.toISOString();
  if (Number.isNaN(Date.parse(value)) || !/(Z|[+-]\d{2}:\d{2})$/i.test(value)) {
    throw new UsageError(`--${name} must be "now" or an ISO 8601 time with a zone, e.g. 2026-12-01T00:00:00Z`);
  }
  return value;
}

export const yesNo = (flag: boolean) => (flag ? 'yes' : 'no');
