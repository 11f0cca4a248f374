import { existsSync } from 'node:fs';
import { runDemo } from '../apps/demo/src/main';

describe('npm run demo', () => {
  it('walks the sandbox to an active link, printing each step and the notification text, and cleans up', async () => {
    let out = '';
    let err = '';
    const outcome = await runDemo({
      out: (text) => {
        out += text;
      },
      err: (text) => {
        err += text;
      },
    });

    expect(err).toBe('');
    expect(outcome.exitCode).toBe(0);
    expect(out).toMatch(/→ link lnk_\S+, status awaiting_bank_authentication/);
    expect(out).toMatch(/→ status active \(after [\d.]+ s\)/);
    expect(out).toContain('口座連携の手続きが行われましたのでお知らせします');
    expect(out).toMatch(/#0 {2}\S+ {2}LinkRequested\s+payment_app sandbox-app/);
    expect(out).toContain(`"id": "${outcome.linkId}"`);
    expect(out).toContain('"status": "active"');
    expect(out.trimEnd().split('\n').at(-1)).toBe(`Done: link ${outcome.linkId} is active.`);
    expect(outcome.dataDir && existsSync(outcome.dataDir)).toBe(false);
  });
});
