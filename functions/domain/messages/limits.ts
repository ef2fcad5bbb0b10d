/** How long a message may be on each channel. */

/** An SMS may take two segments when it must (a long order number, UCS-2), never more. */
export const MAX_SMS_SEGMENTS = 2;

/** What APNs and FCM show without cutting on a lock screen, roughly: keep within it. */
export const PUSH_LIMITS = { title: 50, body: 150 } as const;
