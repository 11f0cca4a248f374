import { hkdfSync, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AppConfig } from './app-config';

/** Keys derived from the one service master key, each for one purpose, so none is reused across two. */
export interface ServiceKeys {
  personalDataMasterKey: string;
  lookupHashKey: string;
  idempotencyKey: string;
}

function derive(master: Buffer, purpose: string): string {
  return Buffer.from(hkdfSync('sha256', master, Buffer.alloc(0), `kouza-link/${purpose}`, 32)).toString('base64');
}

export function deriveServiceKeys(masterKeyBase64: string): ServiceKeys {
  const master = Buffer.from(masterKeyBase64, 'base64');
  if (master.length !== 32) throw new Error('The service master key must be 32 bytes');
  return {
    personalDataMasterKey: derive(master, 'personal-data'),
    lookupHashKey: derive(master, 'lookup-hash'),
    idempotencyKey: derive(master, 'idempotency'),
  };
}

/**
 * The configured master key; in the embedded mode without one, a key generated at first start and kept
 * in DATA_DIR next to the data it protects (fine for a laptop, never for production).
 */
export function loadServiceKeys(config: AppConfig, onGenerated: (path: string) => void): ServiceKeys {
  if (config.SERVICE_MASTER_KEY) return deriveServiceKeys(config.SERVICE_MASTER_KEY);
  if (config.storeMode !== 'embedded') throw new Error('SERVICE_MASTER_KEY is required with a database server');
  const path = join(config.DATA_DIR, 'service-master-key');
  if (!existsSync(path)) {
    mkdirSync(config.DATA_DIR, { recursive: true });
    writeFileSync(path, randomBytes(32).toString('base64'), { mode: 0o600 });
    chmodSync(path, 0o600);
    onGenerated(path);
  }
  return deriveServiceKeys(readFileSync(path, 'utf8').trim());
}
