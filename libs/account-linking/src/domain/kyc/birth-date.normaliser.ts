const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** The ISO calendar date (YYYY-MM-DD), or undefined when the text is not a real date in that form. */
export const normaliseBirthDate = (text: string): string | undefined => {
  const date = text.normalize('NFKC').trim();
  const parts = ISO_DATE.exec(date);
  if (parts === null) return undefined;
  const [year, month, day] = [Number(parts[1]), Number(parts[2]), Number(parts[3])];
  return month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month) ? date : undefined;
};

const daysInMonth = (year: number, month: number): number => {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
};
