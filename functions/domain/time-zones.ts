/**
 * One home for "is this an IANA time zone this runtime knows": the contract refuses an unknown zone, and
 * i18n falls back when a stored zone is no longer known (a newer ICU may drop one).
 */

/** Zones Intl accepted: bounded by the IANA list, so caching them cannot grow without limit. */
const knownTimeZones = new Set<string>();

export const isTimeZone = (timeZone: string): boolean => {
  if (knownTimeZones.has(timeZone)) return true;
  try {
    new Intl.DateTimeFormat('en', { timeZone });
  } catch {
    // Not cached: a producer choosing the strings must not be able to fill memory with refusals.
    return false;
  }
  knownTimeZones.add(timeZone);
  return true;
};

/** The calendar date of an instant in a time zone, as YYYY-MM-DD. */
export const calendarDay = (instant: Date, timeZone: string): string =>
  new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(
    instant,
  );
