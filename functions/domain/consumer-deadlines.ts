/**
 * The statutory deadlines of Polish consumer law a customer is shown, when the shop turns them on
 * (`consumerRights` in its configuration): the one home of the numbers and of how the days are counted.
 *
 * - Withdrawal (ustawa o prawach konsumenta, art. 27): a consumer may withdraw from a distance contract
 *   within 14 days without giving a reason; for goods the days run from taking possession (delivery).
 * - Refund after a withdrawal (art. 32): within 14 days of receiving the consumer's statement (the return
 *   request); the seller may withhold it until it has the goods back (art. 32 ust. 4), so once the return
 *   is received the refund is due by the later of the two.
 * - Complaint about goods that do not conform to the contract (chapter 5a, since 1 January 2023): the
 *   seller answers within 14 days of receiving it, or is deemed to have accepted it. A warranty claim
 *   (gwarancja) follows the guarantor's own terms, so no deadline is shown for it. (The general rule for
 *   other complaints, art. 7a, is 30 days.)
 *
 * Days are calendar days in the customer's time zone, counted from the day after the event (kodeks
 * cywilny, art. 111 § 2): the deadline is the end of the last day, shown as that date.
 */

import { calendarDay } from './time-zones.js';

export const CONSUMER_DEADLINE_DAYS = {
  withdrawal: 14,
  refundAfterWithdrawal: 14,
  complaintAnswer: 14,
} as const;

const DAY_MS = 24 * 60 * 60 * 1000;

/** The last day of a term of `days` days that starts with the event at `at` (YYYY-MM-DD), or undefined. */
export const lastDayOf = (at: string, days: number, timeZone: string): string | undefined => {
  const instant = new Date(at);
  if (Number.isNaN(instant.getTime())) return undefined;
  const start = Date.parse(`${calendarDay(instant, timeZone)}T00:00:00Z`);
  return new Date(start + days * DAY_MS).toISOString().slice(0, 10);
};

/** Whether the term ending on `lastDay` (YYYY-MM-DD) is still running at `now` in the time zone. */
export const isRunning = (lastDay: string, now: Date, timeZone: string): boolean =>
  calendarDay(now, timeZone) <= lastDay;

/** The last day to withdraw from an order delivered at `deliveredAt`. */
export const withdrawalLastDay = (deliveredAt: string, timeZone: string): string | undefined =>
  lastDayOf(deliveredAt, CONSUMER_DEADLINE_DAYS.withdrawal, timeZone);

/** The day a withdrawal's refund is due by: 14 days from the request, but not before the goods are back. */
export const refundLastDay = (
  requestedAt: string,
  receivedAt: string | undefined,
  timeZone: string,
): string | undefined => {
  const byRequest = lastDayOf(requestedAt, CONSUMER_DEADLINE_DAYS.refundAfterWithdrawal, timeZone);
  const received = receivedAt ? lastDayOf(receivedAt, 0, timeZone) : undefined;
  if (!byRequest) return undefined;
  return received && received > byRequest ? received : byRequest;
};

/** The last day the shop may answer a complaint opened at `openedAt`. */
export const complaintAnswerLastDay = (openedAt: string, timeZone: string): string | undefined =>
  lastDayOf(openedAt, CONSUMER_DEADLINE_DAYS.complaintAnswer, timeZone);
