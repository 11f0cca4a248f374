/** Word separators in names: any white space and the middle dots (・ ･ · ‧). */
export const NAME_SEPARATORS = /[\s\u30FB\uFF65\u00B7\u2027]/g;
