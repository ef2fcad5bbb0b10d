/**
 * The local switch for quiet hours: `ORDER_NOTIFICATIONS_QUIET_HOURS=off npm start` gives every shop of
 * the shops file `quietHours: null` (the shop config's own "send at any time"), so SMS and push go out at
 * once instead of waiting in the notification log until 08:00. `on` (or unset) keeps the shops' own.
 */
import type { ShopConfigInput } from '../functions/domain/shop-config.js';

export const QUIET_HOURS_ENV = 'ORDER_NOTIFICATIONS_QUIET_HOURS';

export type QuietHoursSwitch = 'on' | 'off';

export const quietHoursFromEnvironment = (env: NodeJS.ProcessEnv = process.env): QuietHoursSwitch => {
  const raw = env[QUIET_HOURS_ENV];
  if (raw === undefined || raw === '' || raw === 'on') return 'on';
  if (raw === 'off') return 'off';
  throw new Error(`${QUIET_HOURS_ENV}=${raw} is neither on nor off`);
};

/** The shops as configured, or with quiet hours off for all of them. */
export const applyQuietHours = (
  shops: readonly ShopConfigInput[],
  quietHours: QuietHoursSwitch,
): ShopConfigInput[] =>
  quietHours === 'off' ? shops.map((shop) => ({ ...shop, quietHours: null })) : [...shops];
