import { allowedEkycMethods, assessEkycMethod } from './ekyc-method.policy';

const RETIREMENT = '2027-04-01T00:00:00.000Z';
const allowed = allowedEkycMethods(RETIREMENT);

describe('assessEkycMethod (R1)', () => {
  it.each(['jpki', 'ic_chip_read'])('allows %s at any time', (method) => {
    expect(assessEkycMethod(method, '2035-01-01T00:00:00.000Z', allowed)).toEqual({ allowed: true, method });
  });

  it('allows a photo-of-ID method before its retirement date', () => {
    expect(assessEkycMethod('photo_id_and_selfie', '2027-03-31T23:59:59.999Z', allowed)).toEqual({
      allowed: true,
      method: 'photo_id_and_selfie',
    });
  });

  it.each(['2027-04-01T00:00:00.000Z', '2028-01-01T00:00:00.000Z'])(
    'refuses a photo-of-ID method from its retirement date on (%s)',
    (now) => {
      expect(assessEkycMethod('photo_id_and_selfie', now, allowed)).toMatchObject({
        allowed: false,
        code: 'ekyc_method_not_allowed',
      });
    },
  );

  it.each([undefined, '', 'none'])('refuses a link without eKYC (%s)', (method) => {
    expect(assessEkycMethod(method, '2026-01-01T00:00:00.000Z', allowed)).toMatchObject({
      allowed: false,
      code: 'ekyc_method_not_allowed',
    });
  });

  it('refuses a method that is not on the list', () => {
    expect(assessEkycMethod('video_call', '2026-01-01T00:00:00.000Z', allowed)).toMatchObject({
      allowed: false,
      code: 'ekyc_method_not_allowed',
    });
  });
});
