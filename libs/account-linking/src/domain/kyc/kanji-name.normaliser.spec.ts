import fc from 'fast-check';
import { normaliseKanjiName } from './kanji-name.normaliser';

describe('normaliseKanjiName', () => {
  it.each([
    ['髙橋 健', '高橋健'],
    ['渡邊 優', '渡辺優'],
    ['渡邉 優', '渡辺優'],
    ['山﨑 蓮', '山崎蓮'],
    ['齋藤 陽', '斎藤陽'],
    ['齊藤 陽', '斉藤陽'],
    ['長澤 舞', '長沢舞'],
    ['濱田　廣', '浜田広'],
    ['櫻井 實', '桜井実'],
    ['德川 惠', '徳川恵'],
    ['嶋 龍', '島竜'],
    ['𠮷田 國男', '吉田国男'],
    ['葛\u{E0100}西', '葛西'],
    ['ｽﾐｽ・太郎', 'スミス太郎'],
  ])('reads %s as %s', (name, expected) => {
    expect(normaliseKanjiName(name)).toBe(expected);
  });

  it('keeps different names apart', () => {
    expect(normaliseKanjiName('髙橋 健')).not.toBe(normaliseKanjiName('高田 健'));
    expect(normaliseKanjiName('斎藤 陽')).not.toBe(normaliseKanjiName('斉藤 陽'));
  });

  it('is idempotent', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 30 }), (name) => {
        const once = normaliseKanjiName(name);
        expect(normaliseKanjiName(once)).toBe(once);
      }),
    );
  });
});
