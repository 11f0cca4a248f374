import { normaliseAddress } from './address.normaliser';

describe('normaliseAddress', () => {
  it('keeps only the digits of the postal code', () => {
    expect(normaliseAddress({ postalCode: '〒５３０－０００１' }).postalCode).toBe('5300001');
  });

  it.each([
    ['大阪市北区梅田１丁目２番３号', '大阪府大阪市北区梅田1-2-3'],
    ['大阪市北区梅田1-2-3', '大阪府大阪市北区梅田1-2-3'],
    ['大阪市北区梅田一丁目2番地3', '大阪府大阪市北区梅田1-2-3'],
    ['大阪市北区梅田1の2の3', '大阪府大阪市北区梅田1-2-3'],
    ['大阪市北区 梅田１−２−３', '大阪府大阪市北区梅田1-2-3'],
    ['大阪市北区梅田1ー2ー3', '大阪府大阪市北区梅田1-2-3'],
    ['大阪市北区梅田1‐2‐3', '大阪府大阪市北区梅田1-2-3'],
    ['大阪府大阪市北区梅田1-2-3', '大阪府大阪市北区梅田1-2-3'],
    ['大阪市北区梅田十二丁目2-3', '大阪府大阪市北区梅田12-2-3'],
    ['大阪市北区梅田1-2-3 梅田センター101号室', '大阪府大阪市北区梅田1-2-3梅田センター101号室'],
  ])('reads %s in 大阪府 as %s', (line, expected) => {
    expect(normaliseAddress({ prefecture: '大阪府', line }).line).toBe(expected);
  });

  it('reads the prefecture written in the line alike', () => {
    expect(normaliseAddress({ line: '大阪府大阪市北区梅田1-2-3' }).line).toBe(
      normaliseAddress({ prefecture: '大阪府', line: '大阪市北区梅田１丁目２番３号' }).line,
    );
  });

  it('keeps different streets apart', () => {
    expect(normaliseAddress({ line: '梅田1-2-3' }).line).not.toBe(normaliseAddress({ line: '梅田1-2-4' }).line);
    expect(normaliseAddress({ line: '梅田12-3' }).line).not.toBe(normaliseAddress({ line: '梅田1-23' }).line);
  });
});
