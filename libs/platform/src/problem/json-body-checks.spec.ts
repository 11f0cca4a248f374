import { jsonBodyFieldErrors } from './json-body-checks';

describe('jsonBodyFieldErrors', () => {
  it('finds nothing in an ordinary body, paired surrogates (emoji, rare kanji) included', () => {
    expect(jsonBodyFieldErrors({ name: { kanji: '𠮷野 太郎 😀', kana: 'ﾖｼﾉ' }, list: ['a', 1, null, true] })).toEqual(
      [],
    );
  });

  it('names each field holding a NUL or an unpaired surrogate by its dotted path', () => {
    const fields = jsonBodyFieldErrors({
      customer: { reference: 'a\u0000b' },
      items: ['ok', 'x\ud800'],
      tail: '\udc00y',
    }).map((error) => error.field);
    expect(fields.sort()).toEqual(['customer.reference', 'items.1', 'tail']);
  });

  it('names the object whose key is unstorable, and a bare string body as body', () => {
    expect(jsonBodyFieldErrors({ nested: { 'k\u0000': 1 } }).map((error) => error.field)).toEqual(['nested']);
    expect(jsonBodyFieldErrors('\u0000').map((error) => error.field)).toEqual(['body']);
  });

  it('takes nesting up to the limit and refuses one level more, once, without recursing', () => {
    const nested = (levels: number) => {
      let value: unknown = 'leaf';
      for (let level = 0; level < levels; level++) value = level % 2 ? [value] : { a: value };
      return value;
    };
    expect(jsonBodyFieldErrors(nested(4), 4)).toEqual([]);
    expect(jsonBodyFieldErrors(nested(5), 4)).toEqual([
      { field: 'a.0.a.0', message: 'must not nest objects and arrays deeper than 4 levels' },
    ]);
    expect(jsonBodyFieldErrors(nested(100_000))).toHaveLength(1);
  });

  it('stops at the limit of errors', () => {
    expect(
      jsonBodyFieldErrors(
        Array.from({ length: 500 }, () => '\u0000'),
        32,
        50,
      ),
    ).toHaveLength(50);
  });
});
