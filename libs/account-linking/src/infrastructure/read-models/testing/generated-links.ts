import { canonicalTemplate } from '@lib/event-store/hash-chain/event-hash';
import { randomUUID } from 'node:crypto';
import type { Checkpoint, EventMetadata } from '@lib/event-store/event-store.port';
import { toCheckpoint } from '@lib/event-store/postgres/checkpoint';
import type { SqlExecutor } from '@lib/platform/sql/sql-client';
import { bankAccountGuardStream, linkStream } from '../../../application/link-streams';
import type { BankAccountGuardEvent } from '../../../domain/bank-account-guard/bank-account-guard.events';
import { DEFAULT_KYC_MATCH_RULE } from '../../../domain/kyc/kyc-match.policy';
import type { LinkEvent } from '../../../domain/link/link-events';

/** One append of generated history: events for one stream, in the order a real service would write them. */
export interface GeneratedAppend {
  stream: string;
  events: (LinkEvent | BankAccountGuardEvent)[];
}

export interface GeneratedLinksOptions {
  /** Distinguishes the ids of one generation from another's. */
  tag?: string;
  paymentApps?: readonly string[];
  banks?: readonly string[];
  /** Links per bank account, on average. */
  linksPerAccount?: number;
  startAt?: Date;
}

/**
 * Link histories in every shape the lifecycle allows (awaiting, rejected, active, revoked, expired, cooling
 * off, suspended; requests refused by the account guard; lockouts), written straight to the store: a few
 * thousand links in seconds, for read-model tests that do not need the HTTP path.
 */
export function generatedLinkHistories(count: number, options: GeneratedLinksOptions = {}): GeneratedAppend[] {
  const tag = options.tag ?? randomUUID().slice(0, 8);
  const apps = options.paymentApps ?? ['gen-app-a', 'gen-app-b', 'gen-app-c'];
  const banks = options.banks ?? ['0001', '0005', '9900'];
  const accounts = Math.max(1, Math.ceil(count / (options.linksPerAccount ?? 3)));
  const start = (options.startAt ?? new Date('2026-11-20T00:00:00.000Z')).getTime();
  const appends: GeneratedAppend[] = [];

  for (let i = 0; i < count; i++) {
    const linkId = `lnk_gen${tag}_${i}`;
    const paymentAppId = apps[i % apps.length] as string;
    const account = i % accounts;
    const bankCode = banks[account % banks.length] as string;
    const accountToken = `acct_gen${tag}_${account}`;
    const guard = bankAccountGuardStream(accountToken);
    const at = (seconds: number) => new Date(start + i * 60_000 + seconds * 1000).toISOString();
    const requestedAt = at(0);
    const link = (type: LinkEvent['type'], seconds: number, data: object = {}) =>
      ({ type, data: { linkId, at: at(seconds), ...data } }) as LinkEvent;
    const activation = { coolingOffMinutes: i % 8 === 5 ? 60 : 0, customerConfirmationRequired: false };
    const authenticated: LinkEvent[] = [
      link('BankAuthenticationSucceeded', 60, {
        methods: ['password', 'otp_sms'],
        factorKinds: ['knowledge', 'possession'],
        phishingResistant: false,
        authenticatedAt: at(55),
      }),
      link('KycMatched', 60, {
        fields: [
          { field: 'nameKana', result: 'match' },
          { field: 'birthDate', result: 'match' },
          { field: 'phone', result: 'match' },
        ],
        rule: DEFAULT_KYC_MATCH_RULE,
      }),
      link('CustomerNotificationRequested', 60, { notifiedBy: 'service', contact: 'sealed:contact', activation }),
      link('CustomerNotified', 70, { channel: 'sms', deliveredAt: at(70) }),
    ];
    const active = [...authenticated, link('LinkActivated', 80)];

    appends.push({
      stream: guard,
      events: [{ type: 'LinkAttemptRegistered', data: { linkId, paymentAppId, at: requestedAt } }],
    });
    const history: LinkEvent[] = [
      link('LinkRequested', 0, {
        paymentAppId,
        customerReference: `user-${i % 400}`,
        bankAccount: {
          bankCode,
          branchCode: String(100 + (account % 50)).padStart(3, '0'),
          type: 'ordinary',
          accountToken,
          last4: String(1000 + (account % 9000)),
        },
        sealedAccountNumber: 'sealed:number',
        deviceId: `device-${i % 97}`,
        ekyc: { method: 'jpki', verifiedAt: at(-600), attributes: 'sealed:ekyc' },
        expiresAt: at(1800),
      }),
    ];
    const guardAfter: BankAccountGuardEvent[] = [];
    switch (i % 8) {
      case 1:
        history.push(
          link('BankAuthenticationFailed', 60, { reason: 'wrong password' }),
          link('LinkRejected', 60, { reason: 'bank_authentication_failed', detail: 'wrong password' }),
        );
        guardAfter.push(
          { type: 'AccountLinkingFailureRecorded', data: { linkId, reason: 'bank_authentication_failed', at: at(60) } },
          { type: 'LinkAttemptFinished', data: { linkId, outcome: 'rejected', at: at(60) } },
        );
        break;
      case 2:
        history.push(...active);
        break;
      case 3:
        history.push(...active, link('LinkRevoked', 3600, { by: 'payment_app', reason: 'user closed the wallet' }));
        guardAfter.push({ type: 'LinkAttemptFinished', data: { linkId, outcome: 'revoked', at: at(3600) } });
        break;
      case 4:
        history.push(link('LinkExpired', 1800));
        guardAfter.push({ type: 'LinkAttemptFinished', data: { linkId, outcome: 'expired', at: at(1800) } });
        break;
      case 5:
        history.push(...authenticated, link('CoolingOffStarted', 70, { until: at(3670) }));
        break;
      case 6:
        history.push(...active, link('LinkSuspended', 7200, { by: 'bank', reason: 'fraud suspected' }));
        break;
      case 7:
        // The same app asks again for the same account while this link is open: refused, no link starts.
        guardAfter.push({
          type: 'LinkRequestRefused',
          data: {
            linkId: `${linkId}_again`,
            paymentAppId,
            reason: 'link_already_in_progress',
            at: at(30),
            openLinkId: linkId,
          },
        });
        break;
      default:
        break;
    }
    if (i % 97 === 96) guardAfter.push({ type: 'AccountLocked', data: { until: at(86_400), at: at(90) } });
    appends.push({ stream: linkStream(linkId), events: history });
    if (guardAfter.length > 0) appends.push({ stream: guard, events: guardAfter });
  }
  return appends;
}

const generatorMetadata = (): EventMetadata => ({
  actor: { type: 'system', id: 'read-model-test-generator' },
  correlationId: randomUUID(),
  causationId: randomUUID(),
  occurredAt: new Date().toISOString(),
});

/**
 * Writes generated history to a PostgreSQL event store (PGlite or a server) through its own `es_append`,
 * many appends per statement (one transaction each): thousands of links in a few seconds. Statements stay
 * small because each one holds the server's visibility horizon, and so every subscriber on it, while it runs.
 * Returns the
 * checkpoint a reader reaches once it has seen them all.
 */
export async function appendGenerated(
  sql: SqlExecutor,
  appends: readonly GeneratedAppend[],
  appendsPerStatement = 25,
): Promise<Checkpoint | undefined> {
  let last: Checkpoint | undefined;
  for (let start = 0; start < appends.length; start += appendsPerStatement) {
    const chunk = appends.slice(start, start + appendsPerStatement).map(({ stream, events }) => {
      const metadata = generatorMetadata();
      return {
        stream,
        // As PostgresEventStore sends them: canonical text with a hole for previousHash, chained by es_append.
        events: events.map((event) => ({
          id: randomUUID(),
          ...canonicalTemplate({ type: event.type, data: event.data, metadata }),
        })),
      };
    });
    // The lateral call runs once per element, in the order of the array: a link's appends keep their order.
    const rows = await sql.query<{ outcome: string; txid: string; last_position: string }>(
      `SELECT r.outcome, r.txid, r.last_position::text AS last_position
         FROM jsonb_array_elements($1::jsonb) WITH ORDINALITY AS a(item, i)
         CROSS JOIN LATERAL es_append(a.item->>'stream', 'any', NULL, a.item->'events') AS r
        ORDER BY a.i`,
      [JSON.stringify(chunk)],
    );
    const end = rows.at(-1);
    if (!end || rows.some((row) => row.outcome !== 'appended')) throw new Error('generated appends were refused');
    last = toCheckpoint(end.txid, end.last_position);
  }
  return last;
}
