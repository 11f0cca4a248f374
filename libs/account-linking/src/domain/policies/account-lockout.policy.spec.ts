import { addMinutes } from '../time';
import { assessAccountLockout } from './account-lockout.policy';

const NOW = '2026-11-20T12:00:00.000Z';
const hoursBefore = (hours: number): string => addMinutes(NOW, -hours * 60);

describe('assessAccountLockout (R8, per account)', () => {
  it('leaves an account with four failures in the last day unlocked', () => {
    expect(assessAccountLockout([1, 2, 3, 4].map(hoursBefore), NOW)).toEqual({ locked: false });
  });

  it('locks an account with five failures in the last day for a day after the latest', () => {
    expect(assessAccountLockout([10, 8, 6, 4, 2].map(hoursBefore), NOW)).toEqual({
      locked: true,
      until: '2026-11-21T10:00:00.000Z',
    });
  });

  it('does not count failures older than the window', () => {
    expect(assessAccountLockout([30, 4, 3, 2, 1].map(hoursBefore), NOW)).toEqual({ locked: false });
    expect(assessAccountLockout([24, 4, 3, 2, 1].map(hoursBefore), NOW)).toEqual({ locked: false });
  });

  it('unlocks when the lock has run out, even with the failures still in the window', () => {
    const settings = { threshold: 3, windowMinutes: 48 * 60, lockMinutes: 60 };
    expect(assessAccountLockout([5, 4, 3].map(hoursBefore), NOW, settings)).toEqual({ locked: false });
    expect(assessAccountLockout([5, 4, 0.5].map(hoursBefore), NOW, settings)).toEqual({
      locked: true,
      until: '2026-11-20T12:30:00.000Z',
    });
  });

  it('follows a configured threshold', () => {
    const settings = { threshold: 2, windowMinutes: 60, lockMinutes: 15 };
    expect(assessAccountLockout([0.5, 0.1].map(hoursBefore), NOW, settings)).toMatchObject({ locked: true });
    expect(assessAccountLockout([0.5].map(hoursBefore), NOW, settings)).toEqual({ locked: false });
  });
});
