/**
 * A realistic Polish shop's week, for the demo: a paid and delivered order, an engraving held until the
 * customer confirms it, an order cancelled for lack of stock with a refund, a warranty complaint, and a
 * return. Built on the contract's own examples, so every event is valid.
 */

import { exampleDetails, orderRef, toEvent } from '../fixtures/order-events.js';
import type { OrderEvent, OrderEventDetailInput, OrderEventType } from '../functions/domain/order-events.js';

interface DemoOrder {
  readonly customer: {
    readonly name: string;
    readonly email: string;
    readonly phone: string;
    readonly locale: string;
  };
  readonly steps: readonly OrderEventType[];
  readonly story: string;
}

const DEMO_ORDERS: readonly DemoOrder[] = [
  {
    customer: {
      name: 'Zofia Wąsowska',
      email: 'zofia.wasowska@example.pl',
      phone: '+48 601 234 567',
      locale: 'pl-PL',
    },
    steps: [
      'Order Placed',
      'Payment Received',
      'Order Accepted',
      'Order Preparing',
      'Order Shipped',
      'Order Out For Delivery',
      'Order Delivered',
    ],
    story: 'paid by transfer, shipped to a parcel locker, delivered',
  },
  {
    customer: {
      name: 'Marek Żółkiewski',
      email: 'marek.zolkiewski@example.pl',
      phone: '+48 602 345 678',
      locale: 'pl-PL',
    },
    steps: [
      'Order Placed',
      'Payment Received',
      'Order Accepted',
      'Order On Hold',
      'Order Resumed',
      'Order Preparing',
      'Order Shipped',
    ],
    story: 'an engraving held until the customer confirmed the text',
  },
  {
    customer: {
      name: 'Anna Kowalczyk',
      email: 'anna.kowalczyk@example.pl',
      phone: '+48 603 456 789',
      locale: 'pl-PL',
    },
    steps: ['Order Placed', 'Payment Received', 'Order Cancelled'],
    story: 'cancelled by the shop, out of stock, refunded',
  },
  {
    customer: {
      name: 'Piotr Nowicki',
      email: 'piotr.nowicki@example.pl',
      phone: '+48 604 567 890',
      locale: 'pl-PL',
    },
    steps: [
      'Order Placed',
      'Payment Received',
      'Order Shipped',
      'Order Delivered',
      'Complaint Opened',
      'Complaint Resolved',
    ],
    story: 'a complaint about the engraving, accepted with a replacement',
  },
  {
    customer: {
      name: 'Emily Clarke',
      email: 'emily.clarke@example.co.uk',
      phone: '+44 7700 900123',
      locale: 'en-GB',
    },
    steps: [
      'Order Placed',
      'Payment Received',
      'Order Shipped',
      'Order Delivered',
      'Return Requested',
      'Return Received',
      'Refund Issued',
    ],
    story: 'an English-speaking customer returning a mug',
  },
];

/** A number per demo run (per second), spaced so that runs never share an order. */
const demoRun = (now: Date): number => 10_000 + (Math.floor(now.getTime() / 1000) % 900_000) * 10;

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
/** Minutes between two steps of one order. */
const STEP_MINUTES = 7;

/** The calendar day of an instant in the shop's time zone (Warsaw), as the contract writes dates. */
const dayOf = (time: number, timeZone = 'Europe/Warsaw'): string =>
  new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(
    new Date(time),
  );
const iso = (time: number): string => new Date(time).toISOString();

/**
 * Every date an event carries besides its occurredAt, derived from when the event happens: the payment
 * is due three days after the placement, shipping is expected within two days of the acceptance, a hold
 * must be answered within two days, the parcel is expected the day after it ships and arrives within a
 * three-hour window from when it goes out, a refund within five days of the cancellation.
 */
const datesFor = (type: OrderEventType, at: number, placedAt: number): Record<string, unknown> => {
  switch (type) {
    case 'Order Accepted':
      return { expectedShipBy: dayOf(at + 2 * DAY) };
    case 'Order On Hold':
      return { contactBy: iso(at + 2 * DAY) };
    case 'Order Shipped':
      return { expectedDeliveryDate: dayOf(at + DAY) };
    case 'Order Out For Delivery':
      return { expectedBetween: { from: iso(at), to: iso(at + 3 * 60 * MINUTE) } };
    case 'Payment Received':
      return { reference: `PRZELEW-${dayOf(placedAt)}` };
    default:
      return {};
  }
};

/**
 * Each demo order's events in the order they happen, a few minutes apart, ending a minute ago; every date in them
 * follows from `now`, so the tracking pages read right whenever the demo runs.
 */
export const demoOrders = (
  now = new Date(),
): Array<{ story: string; orderNumber: string; events: OrderEvent[] }> =>
  DEMO_ORDERS.map((order, index) => {
    // New order numbers on every run: the store keeps orders across restarts, and the same event ids
    // again would be duplicates that change nothing. The number carries the month of the placement, as a shop's would.
    // The last step a minute before now: never in the future of the clock that receives it.
    const start = now.getTime() - MINUTE - (order.steps.length - 1) * STEP_MINUTES * MINUTE;
    const n = demoRun(now) + index;
    const [year, month] = dayOf(start).split('-');
    const ref = {
      orderId: orderRef(n).orderId,
      orderNumber: `ZAM/${year}/${month}/${String(n).padStart(4, '0')}`,
    };
    const details = exampleDetails(ref);
    const events = order.steps.map((type, step) => {
      const at = start + step * STEP_MINUTES * MINUTE;
      const base = details[type] as Record<string, unknown>;
      const detail: Record<string, unknown> = {
        ...base,
        ...datesFor(type, at, start),
        occurredAt: iso(at),
        sequence: step + 1,
      };
      if (type === 'Order Placed') {
        const placed = details['Order Placed'];
        detail.customer = {
          ...placed.customer,
          ...order.customer,
          channels: { email: true, sms: true, push: false },
          timeZone: order.customer.locale === 'en-GB' ? 'Europe/London' : 'Europe/Warsaw',
        };
        detail.payment = { ...placed.payment, dueBy: iso(at + 3 * DAY) };
      }
      if (type === 'Order Cancelled') {
        Object.assign(detail, {
          cancelledBy: 'shop',
          reason: 'out_of_stock',
          fault: 'shop',
          note: undefined,
          refund: { ...details['Order Cancelled'].refund, expectedBy: dayOf(at + 5 * DAY) },
        });
      }
      return toEvent(type, detail as OrderEventDetailInput<typeof type>);
    });
    return { story: order.story, orderNumber: ref.orderNumber, events };
  });
