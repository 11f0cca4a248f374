import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { CommandBus } from '@nestjs/cqrs';
import { Counter, Histogram, Registry } from 'prom-client';
import { WrongExpectedRevisionError } from '@lib/event-store/wrong-expected-revision.error';
import { LinkingRefused } from '@lib/account-linking/application/linking-refused.error';
import { DomainError } from '@lib/account-linking/domain/domain-error';
import { ProblemException } from '@lib/platform/problem/problem.exception';

const LABELS = ['command', 'outcome', 'code'] as const;

/** `succeeded`; `refused` by the domain or the application (with its problem code); `conflict`; `failed`. */
export type CommandOutcome = 'succeeded' | 'refused' | 'conflict' | 'failed';

/** `RequestLink`, `RevokeLink`…; a command that carries a domain command says which (`DriveLink:Activate`). */
export function commandLabelOf(command: object): string {
  const name = command.constructor.name.replace(/Command$/, '') || 'anonymous';
  const inner = (command as { command?: { type?: unknown } }).command?.type;
  return typeof inner === 'string' ? `${name}:${inner}` : name;
}

export function commandOutcomeOf(error: unknown): { outcome: CommandOutcome; code: string } {
  if (error instanceof DomainError || error instanceof LinkingRefused) return { outcome: 'refused', code: error.code };
  if (error instanceof WrongExpectedRevisionError) return { outcome: 'conflict', code: '' };
  if (error instanceof ProblemException && error.problem.status < 500) {
    return { outcome: 'refused', code: error.problem.code };
  }
  return { outcome: 'failed', code: '' };
}

/**
 * Commands by type and outcome, whoever sends them (HTTP, timers, notification delivery, operators): the
 * CommandBus of the app is wrapped once at start. Labels are class names and problem codes only.
 */
@Injectable()
export class CommandMetrics implements OnModuleInit {
  private readonly commands: Counter<(typeof LABELS)[number]>;
  private readonly duration: Histogram<(typeof LABELS)[number]>;

  constructor(
    @Inject(Registry) registry: Registry,
    private readonly moduleRef: ModuleRef,
  ) {
    this.commands = new Counter({
      name: 'kouza_link_commands_total',
      help: 'Commands handled, by command, outcome (succeeded, refused, conflict, failed) and refusal code',
      labelNames: LABELS,
      registers: [registry],
    });
    this.duration = new Histogram({
      name: 'kouza_link_command_duration_seconds',
      help: 'Time to handle a command, by command, outcome and refusal code',
      labelNames: LABELS,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [registry],
    });
  }

  onModuleInit(): void {
    const bus = this.commandBus();
    if (bus) this.measure(bus);
  }

  /** Wraps `execute`, so that every command of this bus is counted. */
  private measure(bus: CommandBus): void {
    const execute = bus.execute.bind(bus) as (command: object, context?: unknown) => Promise<unknown>;
    const measured = async (command: object, context?: unknown): Promise<unknown> => {
      const label = commandLabelOf(command);
      const started = process.hrtime.bigint();
      const record = (outcome: CommandOutcome, code: string) => {
        const labels = { command: label, outcome, code };
        this.commands.inc(labels);
        this.duration.observe(labels, Number(process.hrtime.bigint() - started) / 1e9);
      };
      try {
        const result = await execute(command, context);
        record('succeeded', '');
        return result;
      } catch (error) {
        const { outcome, code } = commandOutcomeOf(error);
        record(outcome, code);
        throw error;
      }
    };
    bus.execute = measured as CommandBus['execute'];
  }

  /** The app's CommandBus, if any module brought CQRS in (AccountLinkingCoreModule does). */
  private commandBus(): CommandBus | undefined {
    try {
      return this.moduleRef.get(CommandBus, { strict: false });
    } catch {
      return undefined;
    }
  }
}
