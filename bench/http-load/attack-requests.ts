/**
 * The 2020 attack as the bench drives it: one PIN tried across many bank accounts from a few devices of a few
 * wallet customers, all from one address. Each attempt asks for a link to a fresh account of Sandbox Bank
 * (9900) and, when the service accepts it, the bank answers `authentication.failed` (the PIN was wrong).
 * Pure, so that the spec can check it.
 */
import { SANDBOX_BANK } from './lifecycle-requests';

export interface AttackPool {
  /** Devices the attackers cycle through (`attacker-device-0…`). */
  devices: number;
  /** The wallet customers they use (`attacker-customer-0…`). */
  customers: number;
  /** The one address every attempt comes from (`device.ipAddress`). */
  ipAddress: string;
}

/** The default pool: a few devices and customers behind one address (TEST-NET-3). */
export const ATTACK_POOL: AttackPool = { devices: 16, customers: 4, ipAddress: '203.0.113.66' };

/**
 * Seven digits from 8,000,000 up: never one of the legitimate clients' accounts (1,000,000 + their sequence,
 * far below), so that no legitimate link meets an account the attack locked or holds.
 */
export function attackAccountNumberOf(attempt: number): string {
  return String(8_000_000 + (attempt % 2_000_000));
}

export function attackLinkRequestBody(
  attempt: number,
  actor: { device: number; customer: number },
  pool: AttackPool,
  now = new Date(),
): string {
  return JSON.stringify({
    customer: { reference: `attacker-customer-${actor.customer % pool.customers}` },
    ekyc: {
      method: 'jpki',
      verifiedAt: new Date(now.getTime() - 10 * 60_000).toISOString(),
      name: { kanji: '鈴木 一郎', kana: 'スズキ イチロウ' },
      birthDate: '1985-05-05',
      phone: '080-0000-0000',
    },
    bankAccount: {
      bankCode: SANDBOX_BANK,
      branchCode: '001',
      type: 'ordinary',
      number: attackAccountNumberOf(attempt),
    },
    device: { id: `attacker-device-${actor.device % pool.devices}`, ipAddress: pool.ipAddress },
  });
}

export function authenticationFailedBody(linkId: string): string {
  return JSON.stringify({ type: 'authentication.failed', data: { linkId, reason: 'wrong PIN' } });
}

export type AttackOutcome = 'accepted' | 'actor_blocked' | 'other';

/** How the service answered an attacker's `POST /v1/links`: accepted (201), refused `actor_blocked`, or other. */
export function attackOutcomeOf(answer: { status: number; body: string } | undefined): AttackOutcome {
  if (answer?.status === 201) return 'accepted';
  if (answer?.status === 422 && problemCodeOf(answer.body) === 'actor_blocked') return 'actor_blocked';
  return 'other';
}

/** `422 account_locked`, `409 link_already_in_progress`, `500`, `network`: how an answer counts among "other". */
export function answerLabelOf(answer: { status: number; body: string } | undefined): string {
  if (!answer) return 'network';
  const code = problemCodeOf(answer.body);
  return code ? `${answer.status} ${code}` : String(answer.status);
}

function problemCodeOf(body: string): string | undefined {
  try {
    const code = (JSON.parse(body) as { code?: unknown }).code;
    return typeof code === 'string' ? code : undefined;
  } catch {
    return undefined;
  }
}
