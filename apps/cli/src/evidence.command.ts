import { readFile } from 'node:fs/promises';
import { type BundleLogDigestCheck, verifyEvidenceBundle } from '@lib/event-store/hash-chain/evidence-bundle';
import type { JSONWebKeySet } from 'jose';
import { type CliCommand, optionalString, requiredString, UsageError } from './cli-command';

/** The JWKS from a file, or from a URL (e.g. the service's /.well-known/jwks.json, fetched once). */
async function loadJwks(source: string): Promise<JSONWebKeySet> {
  const text = /^https?:\/\//.test(source)
    ? await fetch(source).then(async (response) => {
        if (!response.ok) throw new Error(`${source} answered ${response.status}`);
        return response.text();
      })
    : await readFile(source, 'utf8');
  const jwks = JSON.parse(text) as JSONWebKeySet;
  if (!Array.isArray(jwks?.keys)) throw new Error(`${source} is not a JSON Web Key Set`);
  return jwks;
}

export const evidenceCommand: CliCommand = {
  usage: 'evidence verify <file> [--jwks <file|url>] | evidence export <linkId> --case <caseId> --out <file>',
  summary:
    "verify: check an evidence bundle offline, every stream's hash chain then the service's signature (JWKS from a file or URL; default $KOUZA_LINK_URL/.well-known/jwks.json), naming the first event that fails; export: download a link's signed bundle (investigator; the read is recorded with the case)",
  positionals: ['action', 'target'],
  options: { jwks: { type: 'string' }, case: { type: 'string' }, out: { type: 'string' } },
  role: 'investigator',
  // Verifying needs no service and no secret; exporting checks for a secret itself, on its first call.
  offline: true,
  async run({ args, values, io, env, investigator }) {
    if (args.action === 'export') {
      if (!env.KOUZA_LINK_CLIENT_SECRET && !env.SANDBOX_INVESTIGATOR_SECRET) {
        throw new UsageError(
          "export reads from the service: set KOUZA_LINK_CLIENT_SECRET to the investigator client's secret",
        );
      }
      const caseId = requiredString(values, 'case');
      const out = requiredString(values, 'out');
      const bundle = await investigator().linkEvidence(args.target as string, caseId);
      await io.writeFile(out, `${JSON.stringify(bundle, null, 2)}\n`);
      io.out(
        `Wrote the evidence of ${bundle.linkId}: ${bundle.events.length} events in ${Object.keys(bundle.streamHashes).length} streams, signed, to ${out} (case ${caseId}).\n`,
      );
      return 0;
    }
    if (args.action !== 'verify') throw new UsageError(`unknown evidence action ${args.action}: verify or export`);
    const jwksSource =
      optionalString(values, 'jwks') ?? `${env.KOUZA_LINK_URL || 'http://localhost:3000'}/.well-known/jwks.json`;
    let bundle: unknown;
    try {
      bundle = JSON.parse(await readFile(args.target as string, 'utf8'));
    } catch (error) {
      io.err(
        `FAILED: ${args.target} is not readable JSON (${error instanceof Error ? error.message : String(error)})\n`,
      );
      return 1;
    }
    const result = await verifyEvidenceBundle(bundle, await loadJwks(jwksSource));
    if (!result.ok) {
      io.err(`FAILED: ${result.failure.reason}: ${result.failure.detail}\n`);
      return 1;
    }
    io.out(
      `OK: ${result.events} events in ${result.streams} streams chain from their first event; signed by key ${result.keyId ?? '(no kid)'}${logDigestNote(result.logDigest)}\n`,
    );
    return 0;
  },
};

function logDigestNote(logDigest: BundleLogDigestCheck | undefined): string {
  if (logDigest === undefined) return '';
  if (logDigest === null) return '; no log digest covered these events yet when exported';
  return logDigest.signature === 'valid'
    ? `; covered by log digest ${logDigest.id}, its signature verified`
    : `; covered by log digest ${logDigest.id}, signed by a key not in the JWKS (the bundle's signature vouches for it)`;
}

export const verifyLogCommand: CliCommand = {
  usage: 'verify-log',
  summary:
    'recompute the digest of the whole log on the service and hold it against every signed log digest; exits 1 naming the first that does not hold',
  positionals: [],
  role: 'operator',
  async run({ io, admin }) {
    const result = await admin().verifyLog();
    const unchecked =
      result.signaturesUnchecked.length > 0
        ? ` (${result.signaturesUnchecked.length} signed by a key the service no longer has: ${result.signaturesUnchecked.join(', ')})`
        : '';
    if (result.verified) {
      io.out(
        `OK: ${result.digestsChecked} log digests hold against the log (${result.eventsChecked} events)${unchecked}\n`,
      );
      return 0;
    }
    const mismatch = result.firstMismatch;
    io.err(
      mismatch
        ? `FAILED: ${mismatch.reason}: ${mismatch.detail}; events after ${mismatch.afterCheckpoint ?? 'the start'} up to ${mismatch.upToCheckpoint}${mismatch.event ? ` (${mismatch.event.type} ${mismatch.event.id} at position ${mismatch.event.globalPosition})` : ''}; ${result.digestsChecked} digests before it hold\n`
        : 'FAILED: the service reports the log unverified without saying where\n',
    );
    return 1;
  },
};

export const recordLogDigestCommand: CliCommand = {
  usage: 'record-log-digest',
  summary: 'record the next signed digest of the whole log now (the worker records them by itself too)',
  positionals: [],
  role: 'operator',
  async run({ io, admin }) {
    const digest = await admin().recordLogDigest();
    io.out(
      `Recorded ${digest.id}: ${digest.digest} over ${digest.eventCount} events up to position ${digest.upToPosition}\n`,
    );
    return 0;
  },
};

export const chainHistoryCommand: CliCommand = {
  usage: 'chain-history',
  summary: 'chain the streams written before the hash chain (one-off, resumable: run again if interrupted)',
  positionals: [],
  role: 'operator',
  async run({ io, admin }) {
    const { streamsChained, eventsChained } = await admin().chainLegacyHistory();
    io.out(`Chained ${eventsChained} events in ${streamsChained} streams.\n`);
    return 0;
  },
};

export const eraseSubjectCommand: CliCommand = {
  usage: 'erase-subject --app <paymentAppId> --customer <reference> --legal-basis <text>',
  summary: 'erase a data subject on a lawful request: its key is destroyed, its sealed values read as erased',
  positionals: [],
  options: { app: { type: 'string' }, customer: { type: 'string' }, 'legal-basis': { type: 'string' } },
  role: 'operator',
  async run({ values, io, admin }) {
    const erased = await admin().eraseDataSubject({
      paymentAppId: requiredString(values, 'app'),
      customerReference: requiredString(values, 'customer'),
      legalBasis: requiredString(values, 'legal-basis'),
    });
    io.out(
      `${erased.newlyErased ? 'Erased' : 'Already erased'}: ${erased.subjectId} at ${erased.erasedAt} (${erased.legalBasis})\n`,
    );
    return 0;
  },
};
