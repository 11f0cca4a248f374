import { hashSecret, verifySecret } from './secret-hash';

describe('client secret hashes', () => {
  it('are stored as scrypt$N$r$p$salt$hash and never contain the secret', async () => {
    const stored = await hashSecret('correct horse battery staple');
    expect(stored).toMatch(/^scrypt\$32768\$8\$1\$[\w-]{22}\$[\w-]{43}$/);
    expect(stored).not.toContain('horse');
  });

  it('verify the secret they were made from, and no other', async () => {
    const stored = await hashSecret('correct horse battery staple');
    await expect(verifySecret('correct horse battery staple', stored)).resolves.toBe(true);
    await expect(verifySecret('correct horse battery stapler', stored)).resolves.toBe(false);
    await expect(verifySecret('', stored)).resolves.toBe(false);
  });

  it('salt every hash, so equal secrets hash differently', async () => {
    expect(await hashSecret('same secret value')).not.toBe(await hashSecret('same secret value'));
  });

  it('read their parameters back, so older cost settings still verify', async () => {
    const cheap = await hashSecret('a secret from 2020', { N: 1024, r: 8, p: 1 });
    expect(cheap.startsWith('scrypt$1024$8$1$')).toBe(true);
    await expect(verifySecret('a secret from 2020', cheap)).resolves.toBe(true);
  });

  it('treat malformed or absurdly expensive stored values as no match', async () => {
    const stored = await hashSecret('secret-secret-secret');
    const [, , r, p, salt, hash] = stored.split('$');
    for (const broken of [
      '',
      'bcrypt$10$abc',
      `scrypt$1000$${r}$${p}$${salt}$${hash}`,
      `scrypt$${2 ** 24}$${r}$${p}$${salt}$${hash}`,
      `scrypt$32768$${r}$${p}$${salt}`,
      `scrypt$32768$${r}$${p}$${salt}$${hash}$extra`,
      `scrypt$32768$${r}$${p}$$${hash}`,
    ]) {
      await expect(verifySecret('secret-secret-secret', broken)).resolves.toBe(false);
    }
  });
});
