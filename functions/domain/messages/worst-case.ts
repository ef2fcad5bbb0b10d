/**
 * Long but realistic values, for checking that texts stay short enough: the SMS segment table in the
 * tests and docs, and the validation of shop overrides.
 */
export const WORST_CASE = {
  /** A sender label at the most: the longest shop name we plan for (a senderId is at most 11). */
  shopName: 'Pracownia Pod Dębami',
  orderNumber: 'ZAM/2026/11/00000042',
  carrier: 'Poczta Polska Kurier',
  /** The tracking page: base URL and a 24-character token. */
  trackingUrl: 'https://status.podebem.example.pl/t/Zk3hR9mQ2xLw7VbN4cTy8PaE',
  trackingNumber: '620123456789012345678901',
  carrierTrackingUrl: 'https://tracking.example.pl/sledzenie-przesylek?number=620123456789012345678901',
  customerName: 'Małgorzata Wąsowska-Grzybowska',
  phone: '+48 12 345 67 89',
  /** 99 999,99 zł: a large but real order. */
  amount: 9_999_999,
  /** A date and time whose names are long in both languages (września / September). */
  date: '2026-09-30',
  dateTime: '2026-09-30T18:00:00+02:00',
} as const;
