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

/** Each demo order's events in the order they happen, a few minutes apart, ending now. */
export const demoOrders = (
  now = new Date(),
): Array<{ story: string; orderNumber: string; events: OrderEvent[] }> =>
  DEMO_ORDERS.map((order, index) => {
    // New order numbers on every run: the store keeps orders across restarts, and the same event ids
    // again would be duplicates that change nothing.
    const ref = orderRef(demoRun(now) + index);
    const details = exampleDetails(ref);
    const start = now.getTime() - order.steps.length * 7 * 60_000;
    const events = order.steps.map((type, index) => {
      const base = details[type] as Record<string, unknown>;
      const detail: Record<string, unknown> = {
        ...base,
        occurredAt: new Date(start + index * 7 * 60_000).toISOString(),
        sequence: index + 1,
      };
      if (type === 'Order Placed') {
        const placed = details['Order Placed'];
        detail.customer = {
          ...placed.customer,
          ...order.customer,
          channels: { email: true, sms: true, push: false },
          timeZone: order.customer.locale === 'en-GB' ? 'Europe/London' : 'Europe/Warsaw',
        };
      }
      if (type === 'Order Cancelled') {
        Object.assign(detail, {
          cancelledBy: 'shop',
          reason: 'out_of_stock',
          fault: 'shop',
          note: undefined,
        });
      }
      return toEvent(type, detail as OrderEventDetailInput<typeof type>);
    });
    return { story: order.story, orderNumber: ref.orderNumber, events };
  });
