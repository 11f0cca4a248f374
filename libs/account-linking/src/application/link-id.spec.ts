import { LINK_ID_PATTERN, newLinkId } from './link-id';

describe('link ids', () => {
  it('are generated in the shape the edge accepts, and differ each time', () => {
    const ids = Array.from({ length: 50 }, newLinkId);
    for (const id of ids) expect(id).toMatch(LINK_ID_PATTERN);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it.each(['lnk_', 'lnk_a/b', 'link_abc', ' lnk_abc', `lnk_${'a'.repeat(65)}`])('do not admit %p', (id) => {
    expect(LINK_ID_PATTERN.test(id)).toBe(false);
  });
});
