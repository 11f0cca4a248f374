import { assertNever } from '../assert-never';
import type { Decider } from '../decider';
import { assessAccountLockout } from '../policies/account-lockout.policy';
import { isBefore } from '../time';
import type {
  BankAccountGuardCommand,
  FinishLinkAttempt,
  RecordAccountLinkingFailure,
  RecordBankAccountClosed,
  RegisterLinkAttempt,
} from './bank-account-guard.commands';
import type { BankAccountGuardEvent } from './bank-account-guard.events';
import { type BankAccountGuardState, initialBankAccountGuardState } from './bank-account-guard.state';

// Refusals are events, not errors: every attempt on an account stays in evidence (R11).
const registerLinkAttempt = (command: RegisterLinkAttempt, state: BankAccountGuardState): BankAccountGuardEvent[] => {
  const { linkId, paymentAppId, now } = command.data;
  // A retried registration of the same link.
  if (state.openLinks.some((open) => open.linkId === linkId)) return [];
  if (state.closedAt !== undefined) {
    return [
      {
        type: 'LinkRequestRefused',
        data: { linkId, paymentAppId, reason: 'account_closed', at: now, closedAt: state.closedAt },
      },
    ];
  }
  if (state.lockedUntil !== undefined && isBefore(now, state.lockedUntil)) {
    return [
      {
        type: 'LinkRequestRefused',
        data: { linkId, paymentAppId, reason: 'account_locked', at: now, lockedUntil: state.lockedUntil },
      },
    ];
  }
  const open = state.openLinks.find((candidate) => candidate.paymentAppId === paymentAppId);
  if (open !== undefined) {
    return [
      {
        type: 'LinkRequestRefused',
        data: { linkId, paymentAppId, reason: 'link_already_in_progress', at: now, openLinkId: open.linkId },
      },
    ];
  }
  return [{ type: 'LinkAttemptRegistered', data: { linkId, paymentAppId, at: now } }];
};

const finishLinkAttempt = (command: FinishLinkAttempt, state: BankAccountGuardState): BankAccountGuardEvent[] => {
  const { linkId, outcome, now } = command.data;
  // Unknown or already finished: the link's terminal event may be seen twice, or it was never registered.
  if (!state.openLinks.some((open) => open.linkId === linkId)) return [];
  return [{ type: 'LinkAttemptFinished', data: { linkId, outcome, at: now } }];
};

const recordAccountLinkingFailure = (
  command: RecordAccountLinkingFailure,
  state: BankAccountGuardState,
): BankAccountGuardEvent[] => {
  const { linkId, reason, now, lockout } = command.data;
  // A link fails at most once; the same failure seen again is not a second one.
  if (state.failures.some((failure) => failure.linkId === linkId)) return [];
  const recorded: BankAccountGuardEvent = { type: 'AccountLinkingFailureRecorded', data: { linkId, reason, at: now } };
  const assessment = assessAccountLockout([...state.failures.map((failure) => failure.at), now], now, lockout);
  if (!assessment.locked) return [recorded];
  // Locked already for at least as long.
  if (state.lockedUntil !== undefined && !isBefore(state.lockedUntil, assessment.until)) return [recorded];
  return [recorded, { type: 'AccountLocked', data: { until: assessment.until, at: now } }];
};

// Every report is kept, a repeated one too (R11): the fraud rule's revocations are what must not repeat.
const recordBankAccountClosed = (command: RecordBankAccountClosed): BankAccountGuardEvent[] => [
  { type: 'BankAccountClosed', data: { at: command.data.now } },
];

export const decideBankAccountGuard = (
  command: BankAccountGuardCommand,
  state: BankAccountGuardState,
): BankAccountGuardEvent[] => {
  switch (command.type) {
    case 'RegisterLinkAttempt':
      return registerLinkAttempt(command, state);
    case 'FinishLinkAttempt':
      return finishLinkAttempt(command, state);
    case 'RecordAccountLinkingFailure':
      return recordAccountLinkingFailure(command, state);
    case 'RecordBankAccountClosed':
      return recordBankAccountClosed(command);
    default:
      return assertNever(command, 'bank account guard command');
  }
};

export const evolveBankAccountGuard = (
  state: BankAccountGuardState,
  event: BankAccountGuardEvent,
): BankAccountGuardState => {
  switch (event.type) {
    case 'LinkAttemptRegistered':
      return {
        ...state,
        openLinks: [
          ...state.openLinks,
          { linkId: event.data.linkId, paymentAppId: event.data.paymentAppId, registeredAt: event.data.at },
        ],
      };
    case 'LinkAttemptFinished':
      return { ...state, openLinks: state.openLinks.filter((open) => open.linkId !== event.data.linkId) };
    case 'AccountLinkingFailureRecorded':
      return { ...state, failures: [...state.failures, event.data] };
    case 'AccountLocked':
      return { ...state, lockedUntil: event.data.until };
    case 'LinkRequestRefused':
      return state;
    case 'BankAccountClosed':
      return { ...state, closedAt: state.closedAt ?? event.data.at };
    default:
      return assertNever(event, 'bank account guard event');
  }
};

/** One bank account's guard: at most one open link per payment app, none while the account is locked (R8). */
export const bankAccountGuardDecider: Decider<BankAccountGuardState, BankAccountGuardCommand, BankAccountGuardEvent> = {
  decide: decideBankAccountGuard,
  evolve: evolveBankAccountGuard,
  initialState: initialBankAccountGuardState,
};
