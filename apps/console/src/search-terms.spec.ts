import { searchTermOf } from './search-terms';

describe('the console reads what was typed into Search', () => {
  it('as a link id when it is one', () => {
    expect(searchTermOf(' lnk_abc-123 ')).toEqual({ kind: 'link', linkId: 'lnk_abc-123' });
  });

  it('as an account written bankCode-branchCode-type-number', () => {
    expect(searchTermOf('9900-001-ordinary-1234567')).toEqual({
      kind: 'bank_account',
      bankCode: '9900',
      branchCode: '001',
      type: 'ordinary',
      number: '1234567',
    });
  });

  it('refuses an account written wrongly rather than looking it up as a device', () => {
    expect(searchTermOf('9900-001-checking-1234567').kind).toBe('invalid');
  });

  it('as a device id or a customer reference otherwise, a device only when it is visible ASCII', () => {
    expect(searchTermOf('device-abc')).toEqual({
      kind: 'device_or_customer',
      value: 'device-abc',
      couldBeDevice: true,
    });
    expect(searchTermOf('山田 太郎')).toEqual({ kind: 'device_or_customer', value: '山田 太郎', couldBeDevice: false });
  });

  it('refuses nothing at all', () => {
    expect(searchTermOf('   ').kind).toBe('invalid');
  });
});
