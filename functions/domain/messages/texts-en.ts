/**
 * Messages in English (British spelling, as the dates and money are en-GB). SMS texts use plain ASCII
 * punctuation and end with the shortest version.
 */

import { findComplaint, paymentStanding } from '../order-lifecycle.js';
import {
  afterSalesLinks,
  bankTransferFacts,
  deliveryFacts,
  orderSummary,
  present,
  productName,
  shipmentFacts,
  shopContact,
} from './blocks.js';
import type { Block, CopyContext, MessageCopy, SharedContext, Writer } from './copy-model.js';
import { LABELS } from './texts.js';

const L = LABELS.en;
const p = (text: string): Block => ({ kind: 'paragraph', text });

const nextStep = (context: SharedContext): { blocks: Block[]; short: string } => {
  const { state, facts, formats } = context;
  const instructions = state.payment.instructions;
  const partly = state.payment.status === 'partially_paid';
  // Once part of it arrived, the customer is asked for the rest only.
  const total = partly && facts.amountDue ? facts.amountDue : facts.total;
  if ((state.payment.status !== 'awaiting' && !partly) || !instructions) {
    return {
      blocks: [{ kind: 'notice', text: 'Your order is already paid – thank you!' }],
      short: 'It is already paid.',
    };
  }
  if (instructions.method === 'cash_on_delivery') {
    return {
      blocks: [{ kind: 'notice', text: `Cash on delivery: you will pay ${total} when the parcel arrives.` }],
      short: `You will pay ${total} on delivery.`,
    };
  }
  const due = instructions.dueBy ? ` by ${formats.dateTime(instructions.dueBy)}` : '';
  const shortDue = instructions.dueBy ? ` by ${formats.date(instructions.dueBy)}` : '';
  const pay: Block[] = instructions.paymentUrl
    ? [{ kind: 'button', label: `Pay ${total}`, href: instructions.paymentUrl }]
    : [];
  if (instructions.method === 'bank_transfer') {
    return {
      blocks: [
        {
          kind: 'notice',
          title: 'Next step: payment',
          text: `Please pay by bank transfer${due}. We will ship your order as soon as the payment arrives.`,
        },
        { kind: 'facts', rows: bankTransferFacts(context) },
        ...pay,
      ],
      short: `Please transfer ${total}${shortDue}.`,
    };
  }
  const method = L.paymentMethod[instructions.method];
  return {
    blocks: [
      {
        kind: 'notice',
        title: 'Next step: payment',
        text: instructions.paymentUrl
          ? `To complete your order, please pay ${total} (${method})${due}.`
          : `We are waiting for your payment of ${total} (${method})${due}. The payment link is on the order page.`,
      },
      ...pay,
    ],
    short: `Please pay ${total}${shortDue}.`,
  };
};

const kindOf = (context: CopyContext<'Complaint Resolved'>) =>
  findComplaint(context.state, context.event.complaintId)?.kind ?? 'complaint';

const methodLabel = (method: string | undefined): string | undefined =>
  method && Object.hasOwn(L.paymentMethod, method) ? L.paymentMethod[method as 'card'] : method;

export const ENGLISH: Writer = {
  'Order Placed': (context) => {
    const { facts } = context;
    const n = facts.orderNumber;
    const step = nextStep(context);
    return {
      subject: `Thank you for your order ${n}`,
      preheader: `We have received order ${n}. ${step.short}`,
      heading: 'Thank you for your order!',
      blocks: [
        p(`We have received your order ${n}. Below is a summary and what happens next.`),
        ...step.blocks,
        ...orderSummary(context),
        ...deliveryFacts(context),
      ],
      sms: [
        `Thank you for your order ${n}! Details: ${facts.trackingUrl}`,
        `Thank you for your order ${n}: ${facts.trackingUrl}`,
      ],
      pushTitle: 'Thank you for your order!',
      pushBody: `We have received order ${n}. ${step.short}`,
    };
  },

  'Payment Received': (context) => {
    const { event, state, facts, formats } = context;
    const n = facts.orderNumber;
    const url = facts.trackingUrl;
    const amount = facts.amount;
    const method = methodLabel(event.method);
    // The standing when the message is sent: a late message never says "still due" of a paid order.
    const standing = paymentStanding(state);
    const due = state.payment.status === 'partially_paid' && facts.amountDue ? facts.amountDue : undefined;
    const rows = present([
      { label: L.facts.amount, value: amount, strong: !due },
      method && { label: L.facts.method, value: method },
      event.reference && { label: L.facts.reference, value: event.reference },
      standing.payments > 1 && {
        label: L.facts.paidSoFar,
        value: `${facts.amountReceived} (${L.payments(standing.payments)})`,
      },
      due && { label: L.facts.stillDue, value: due, strong: true },
    ]);
    if (due) {
      const instructions = state.payment.instructions;
      const by = instructions?.dueBy ? ` by ${formats.dateTime(instructions.dueBy)}` : '';
      return {
        subject: `Part payment received for order ${n}`,
        preheader: `We have received ${amount}; ${due} is still due.`,
        heading: 'Part of your payment has arrived',
        blocks: present([
          p(`Thank you! We have received ${amount} for order ${n}. ${due} is still due.`),
          { kind: 'facts', rows },
          {
            kind: 'notice',
            title: 'Next step: the rest of the payment',
            text: `Please pay the remaining ${due}${by}. The order is paid once the whole amount has arrived.`,
          },
          instructions?.method === 'bank_transfer' && { kind: 'facts', rows: bankTransferFacts(context) },
          instructions?.paymentUrl && { kind: 'button', label: `Pay ${due}`, href: instructions.paymentUrl },
        ]),
        sms: [
          `We have received ${amount} for order ${n}; ${due} is still due. ${url}`,
          `Order ${n}: ${amount} received, ${due} still due: ${url}`,
          `Order ${n}: ${due} still due: ${url}`,
        ],
        pushTitle: 'Part payment received',
        pushBody: `We have received ${amount} for order ${n}. ${due} is still due.`,
      };
    }
    const over =
      standing.overpaid > 0
        ? formats.money({ amount: standing.overpaid, currency: standing.currency })
        : undefined;
    return {
      subject: `Payment received for order ${n}`,
      preheader: `We have received ${amount}. Thank you!`,
      heading: 'Payment received',
      blocks: present([
        p(`Thank you! We have received your payment of ${amount} for order ${n}.`),
        { kind: 'facts', rows },
        standing.payments > 1 && p(`Order ${n} is now paid in full.`),
        over && p(`That is ${over} more than the order total: we will refund the difference.`),
        p('We will now get your order ready and keep you posted.'),
      ]),
      sms: [`Payment for order ${n} received, thank you! ${url}`, `Payment for order ${n} received: ${url}`],
      pushTitle: 'Payment received',
      pushBody: `We have received ${amount} for order ${n}. Thank you!`,
    };
  },

  'Order Accepted': ({ event, facts, formats }) => {
    const n = facts.orderNumber;
    const shipBy = event.expectedShipBy;
    return {
      subject: `Order ${n} has been accepted`,
      preheader: shipBy ? `We plan to ship it by ${formats.date(shipBy)}.` : 'We are starting on your order.',
      heading: 'We have accepted your order',
      blocks: present([
        p(`Everything is in stock and order ${n} is now being fulfilled.`),
        shipBy && p(`We plan to ship it by ${formats.date(shipBy)}.`),
        p('We will send you the tracking number as soon as the parcel is on its way.'),
      ]),
      sms: present([
        shipBy && `Order ${n} accepted, shipping by ${formats.shortDate(shipBy)}. ${facts.trackingUrl}`,
        `Order ${n} has been accepted: ${facts.trackingUrl}`,
      ]),
      pushTitle: 'Order accepted',
      pushBody: shipBy
        ? `Order ${n} is being fulfilled. We plan to ship it by ${formats.date(shipBy)}.`
        : `Order ${n} is being fulfilled.`,
    };
  },

  'Order On Hold': ({ event, facts, formats, shop }) => {
    const n = facts.orderNumber;
    const contact = event.contact ?? shopContact(shop, 'en');
    const phone = contact.phone;
    const deadline = formats.shortDateTime(event.contactBy);
    const url = facts.trackingUrl;
    return {
      subject: `Order ${n}: we need your confirmation`,
      preheader: `Please get in touch by ${facts.contactBy}.`,
      heading: 'We need your confirmation',
      blocks: present([
        p(`Before we go ahead with order ${n}, please confirm:`),
        { kind: 'notice', text: event.toConfirm },
        L.holdReason[event.reason] && p(L.holdReason[event.reason]),
        p(
          `Please get in touch by ${facts.contactBy}. Without your confirmation by then, we may have to cancel the order.`,
        ),
      ]),
      contact: { title: 'How to reach us', details: contact },
      sms: present([
        phone && `Order ${n} is on hold: please contact us by ${deadline}, tel. ${phone}. Details: ${url}`,
        `Order ${n} is on hold: please contact us by ${deadline}. Details: ${url}`,
        `Order ${n} on hold, please contact us by ${deadline}: ${url}`,
        `Order ${n} on hold, please contact us: ${url}`,
      ]),
      pushTitle: 'We need your confirmation',
      pushBody: `Order ${n} is on hold. Please get in touch by ${facts.contactBy}.`,
    };
  },

  'Order Resumed': ({ event, facts }) => {
    const n = facts.orderNumber;
    return {
      subject: `Order ${n} is back on track`,
      preheader: 'Thank you for getting in touch – your order is back in progress.',
      heading: 'Thank you for getting in touch!',
      blocks: present([
        p(`We have everything we need – order ${n} is back in progress.`),
        event.note && { kind: 'notice', text: event.note },
        p('We will let you know when the parcel is on its way.'),
      ]),
      sms: [
        `Thank you! Order ${n} is back in progress. ${facts.trackingUrl}`,
        `Order ${n} resumed: ${facts.trackingUrl}`,
      ],
      pushTitle: 'Order back on track',
      pushBody: `Thank you for getting in touch! Order ${n} is back in progress.`,
    };
  },

  'Order Preparing': ({ facts }) => {
    const n = facts.orderNumber;
    return {
      subject: `We are preparing order ${n}`,
      preheader: 'We are picking and packing your order.',
      heading: 'We are preparing your order',
      blocks: [
        p(`Order ${n} is being prepared for shipping right now.`),
        p('Once the parcel is with the carrier, we will send you the tracking number.'),
      ],
      sms: [
        `We are preparing order ${n} for shipping. ${facts.trackingUrl}`,
        `Order ${n} is being prepared: ${facts.trackingUrl}`,
      ],
      pushTitle: 'Preparing your order',
      pushBody: `Order ${n} is being prepared for shipping.`,
    };
  },

  'Order Shipped': (context) => {
    const { event, facts, formats } = context;
    const n = facts.orderNumber;
    const url = facts.trackingUrl;
    const when = event.expectedDeliveryDate;
    const day = when && formats.shortDate(when);
    const method = L.deliveryMethod[event.method];
    const howItArrives: Record<typeof event.method, string> = {
      parcel_locker: 'When the parcel reaches the locker, the carrier will send you a pick-up code.',
      pickup_point: 'The carrier will let you know when the parcel is ready at the pickup point.',
      courier: 'The courier will deliver the parcel to your address.',
      post: 'The postman will deliver it; if nobody is in, they will leave a collection notice.',
    };
    return {
      subject: `Order ${n} has shipped`,
      preheader: when
        ? `${event.carrier}, expected delivery: ${formats.date(when)}.`
        : `${event.carrier} will deliver it.`,
      heading: 'Your parcel is on its way!',
      blocks: present([
        p(`We have handed order ${n} to ${event.carrier}.`),
        when && p(`Expected delivery: ${formats.date(when)}.`),
        shipmentFacts(context, event),
        p(howItArrives[event.method]),
        {
          kind: 'links',
          links: [{ label: "Track the parcel on the carrier's website", href: event.trackingUrl }],
        },
      ]),
      sms: present([
        day &&
          `Order ${n} shipped with ${event.carrier} (${method}), no. ${event.trackingNumber}, arriving ${day}. Track: ${url}`,
        day && `Order ${n} shipped with ${event.carrier}, arriving ${day}. Track: ${url}`,
        `Order ${n} shipped with ${event.carrier}. Track: ${url}`,
        `Order ${n} has shipped. Track: ${url}`,
      ]),
      pushTitle: `Order ${n} has shipped`,
      pushBody: when
        ? `${event.carrier}: expected delivery ${formats.date(when)}. Tracking number: ${event.trackingNumber}`
        : `${event.carrier} will deliver it. Tracking number: ${event.trackingNumber}`,
    };
  },

  'Order Out For Delivery': (context) => {
    const { event, state, facts, formats } = context;
    const n = facts.orderNumber;
    const url = facts.trackingUrl;
    const window = event.expectedBetween;
    const hours = window && `${formats.time(window.from)}-${formats.time(window.to)}`;
    const carrier = state.shipment?.carrier;
    return {
      subject: `Order ${n} is out for delivery today`,
      preheader: window
        ? `Expect it between ${formats.time(window.from)} and ${formats.time(window.to)}.`
        : 'Your parcel arrives today.',
      heading: 'Your parcel arrives today!',
      blocks: present([
        p(carrier ? `${carrier} is delivering order ${n} today.` : `Order ${n} is out for delivery today.`),
        window &&
          p(
            `Expect it on ${formats.date(window.from)} between ${formats.time(window.from)} and ${formats.time(window.to)}.`,
          ),
        state.shipment &&
          shipmentFacts(
            context,
            state.shipment,
            window
              ? [
                  {
                    label: L.facts.deliveryWindow,
                    value: `${formats.time(window.from)}–${formats.time(window.to)}`,
                  },
                ]
              : [],
          ),
      ]),
      sms: present([
        hours && carrier && `Order ${n} arrives today with ${carrier}, ${hours}. Track: ${url}`,
        hours && `Order ${n} arrives today, ${hours}. Track: ${url}`,
        `Order ${n} is out for delivery today. Track: ${url}`,
        `Order ${n} arrives today: ${url}`,
      ]),
      pushTitle: 'Your parcel arrives today',
      pushBody: window
        ? `Order ${n} is out for delivery, between ${formats.time(window.from)} and ${formats.time(window.to)}.`
        : `Order ${n} is out for delivery today.`,
    };
  },

  'Order Delivered': ({ event, facts, shop, formats, withdrawalUntil }) => {
    const n = facts.orderNumber;
    const where = event.location ? L.deliveryLocation[event.location] : 'delivered';
    const links = afterSalesLinks(shop, 'en');
    return {
      subject: `Order ${n} has been delivered`,
      preheader: 'We hope you love it. Thank you for shopping with us!',
      heading: 'Your parcel has arrived!',
      blocks: present([
        p(`Order ${n} has been ${where}.`),
        p('We hope you love it. Thank you for shopping with us!'),
        withdrawalUntil &&
          p(
            `If something is not right, you may withdraw from the purchase without giving a reason until ${formats.date(withdrawalUntil)} (14 days from delivery).`,
          ),
        links.length > 0 && {
          kind: 'links',
          title: 'After your purchase',
          links,
        },
      ]),
      afterSalesInBody: links.length > 0,
      sms: [
        `Order ${n} delivered. Thank you for shopping with us! ${facts.trackingUrl}`,
        `Order ${n} delivered: ${facts.trackingUrl}`,
      ],
      pushTitle: 'Your parcel has arrived!',
      pushBody: `Order ${n} has been delivered. Thank you for shopping with us!`,
    };
  },

  'Order Cancelled': ({ event, state, facts, formats }) => {
    const n = facts.orderNumber;
    const url = facts.trackingUrl;
    const refund = event.refund;
    const money = refund && formats.money(refund.amount);
    const by = refund?.expectedBy;
    const stage = state.cancellation?.stage;
    return {
      subject: `Order ${n} has been cancelled`,
      preheader: money ? `Your refund of ${money} is on its way.` : 'The details of the cancellation.',
      heading: 'Order cancelled',
      blocks: present([
        p(
          event.cancelledBy === 'customer'
            ? `As you asked, we have cancelled order ${n}.`
            : `We have cancelled order ${n}.`,
        ),
        event.fault === 'shop' && p('We are very sorry for the trouble.'),
        {
          kind: 'facts',
          rows: present([
            { label: L.facts.reason, value: L.cancellationReason[event.reason] },
            money && { label: L.facts.refund, value: money, strong: true },
            by && { label: L.facts.refundBy, value: formats.date(by) },
            event.costsRetained && {
              label: L.facts.costsRetained,
              value: formats.money(event.costsRetained),
            },
          ]),
        },
        event.reason === 'other' && event.note && { kind: 'notice', text: event.note },
        money &&
          p(
            by
              ? `You will get your refund of ${money} by ${formats.date(by)}.`
              : `You will get your refund of ${money} within a few working days.`,
          ),
        !money &&
          state.payment.status === 'awaiting' &&
          p('The order was not paid, so there is nothing you need to do.'),
        event.costsRetained &&
          p(
            `In line with our terms, we keep ${formats.money(event.costsRetained)} to cover costs already incurred.`,
          ),
        (stage === 'shipped' || stage === 'out_for_delivery') &&
          p(
            'The parcel has already been sent – if it reaches you, please refuse it and it will come back to us.',
          ),
      ]),
      sms: present([
        money &&
          by &&
          `Order ${n} cancelled. Refund of ${money} by ${formats.shortDate(by)}. Details: ${url}`,
        money && `Order ${n} cancelled, refund ${money}: ${url}`,
        `Order ${n} has been cancelled. Details: ${url}`,
        `Order ${n} cancelled: ${url}`,
      ]),
      pushTitle: 'Order cancelled',
      pushBody: money ? `Order ${n} has been cancelled. Refund: ${money}.` : `Order ${n} has been cancelled.`,
    };
  },

  'Return Requested': ({ event, state, facts, shop }) => {
    const n = facts.orderNumber;
    const returnsLink = afterSalesLinks(shop, 'en', ['returns']);
    return {
      subject: `Return request received – order ${n}`,
      preheader: `Return ${event.returnId} is registered.`,
      heading: 'We have received your return request',
      blocks: present([
        p(`Your return ${event.returnId} for order ${n} is registered.`),
        {
          kind: 'items',
          title: `Returning: ${L.products(event.lines.reduce((sum, line) => sum + line.quantity, 0))}`,
          items: event.lines.map((line) => ({
            name: productName(state, line.sku),
            quantity: L.summary.quantity(line.quantity),
          })),
        },
        event.reason && { kind: 'facts', rows: [{ label: L.facts.reason, value: event.reason }] },
        returnsLink.length > 0 && p('How to pack and send the parcel is explained in our returns policy:'),
        returnsLink.length > 0 && { kind: 'links', links: returnsLink },
        p('We will let you know when it arrives and then refund you.'),
      ]),
      sms: [
        `We have received your return request for order ${n}. ${facts.trackingUrl}`,
        `Return for order ${n} registered: ${facts.trackingUrl}`,
      ],
      pushTitle: 'Return request received',
      pushBody: `Return ${event.returnId} for order ${n} is registered.`,
    };
  },

  'Return Received': ({ event, facts }) => {
    const n = facts.orderNumber;
    const worn = event.condition === 'used' || event.condition === 'damaged';
    return {
      subject: `We have received your return – order ${n}`,
      preheader: 'Your returned items are with us.',
      heading: 'Your return has arrived',
      blocks: present([
        p(`We have received the items you returned (return ${event.returnId}, order ${n}).`),
        event.condition && p(L.returnCondition[event.condition]),
        p(
          worn
            ? 'If this affects the refund, we will get in touch with you.'
            : 'We will refund you shortly and confirm it in a separate message.',
        ),
      ]),
      sms: [
        `Your return for order ${n} has arrived. We will refund you shortly. ${facts.trackingUrl}`,
        `Your return for order ${n} has arrived: ${facts.trackingUrl}`,
      ],
      pushTitle: 'Your return has arrived',
      pushBody: `We have received the items you returned from order ${n}.`,
    };
  },

  'Refund Issued': ({ event, state, facts, formats }) => {
    const n = facts.orderNumber;
    const method = methodLabel(event.method);
    const currency = state.totals?.currency ?? event.amount.currency;
    const total = state.payment.refunded;
    return {
      subject: `Refund issued for order ${n}`,
      preheader: `We have refunded ${facts.amount}.`,
      heading: 'Your refund is on its way',
      blocks: [
        p(`We have refunded ${facts.amount} for order ${n}.`),
        {
          kind: 'facts',
          rows: present([
            { label: L.facts.refund, value: facts.amount, strong: true },
            method && { label: L.facts.method, value: method },
            event.returnId && { label: L.facts.returnId, value: event.returnId },
            total > event.amount.amount && {
              label: L.facts.refundedSoFar,
              value: formats.money({ amount: total, currency }),
            },
          ]),
        },
        p('The money usually shows up in your account within a few working days.'),
      ],
      sms: [
        `We have refunded ${facts.amount} for order ${n}. ${facts.trackingUrl}`,
        `Refund of ${facts.amount}, order ${n}: ${facts.trackingUrl}`,
      ],
      pushTitle: 'Refund issued',
      pushBody: `We have refunded ${facts.amount} for order ${n}.`,
    };
  },

  'Complaint Opened': ({ event, state, facts, shop }) => {
    const n = facts.orderNumber;
    const warranty = event.kind === 'warranty';
    const what = warranty ? 'warranty claim' : 'complaint';
    const terms = afterSalesLinks(shop, 'en', [warranty ? 'warranty' : 'complaints']);
    return {
      subject: `We have received your ${what} – order ${n}`,
      preheader: `Case number: ${event.complaintId}.`,
      heading: `We have received your ${what}`,
      blocks: present([
        p(
          `Thank you for letting us know about the problem with order ${n}. We will review your ${what} as soon as possible and let you know our decision.`,
        ),
        {
          kind: 'facts',
          rows: present([
            { label: L.facts.caseNumber, value: event.complaintId },
            event.sku && { label: L.facts.product, value: productName(state, event.sku) },
            { label: L.facts.caseSubject, value: event.subject },
          ]),
        },
        terms.length > 0 && { kind: 'links', links: terms },
      ]),
      sms: [
        `We have received your ${what} about order ${n}. ${facts.trackingUrl}`,
        `${warranty ? 'Warranty claim' : 'Complaint'} ${n} received: ${facts.trackingUrl}`,
      ],
      pushTitle: warranty ? 'Warranty claim received' : 'Complaint received',
      pushBody: `We are reviewing case ${event.complaintId} for order ${n}.`,
    };
  },

  'Complaint Resolved': (context) => {
    const { event, facts } = context;
    const n = facts.orderNumber;
    const url = facts.trackingUrl;
    const warranty = kindOf(context) === 'warranty';
    const accepted = event.outcome === 'accepted';
    const remedy = L.remedy[event.remedy];
    const what = warranty ? 'warranty claim' : 'complaint';
    const What = warranty ? 'Warranty claim' : 'Complaint';
    const remedySentence: Record<typeof event.remedy, string> = {
      repair: 'We will repair the item and send it back to you.',
      replacement: 'We will replace the item with a new one.',
      price_reduction: 'We will reduce the price and refund you the difference.',
      refund: 'We will refund you for the item.',
      none: '',
    };
    const copy: MessageCopy = {
      subject: accepted
        ? `Your ${what} about order ${n} has been accepted`
        : `Your ${what} about order ${n} has been reviewed`,
      preheader: accepted ? `Remedy: ${remedy}.` : 'Our decision and the reasons for it.',
      heading: accepted ? `We have accepted your ${what}` : `We cannot accept your ${what}`,
      blocks: present([
        p(
          accepted
            ? `We have reviewed case ${event.complaintId} for order ${n} in your favour. ${remedySentence[event.remedy]}`
            : `We have reviewed case ${event.complaintId} for order ${n}. Unfortunately, we cannot accept it this time.`,
        ),
        {
          kind: 'facts',
          rows: present([
            { label: L.facts.caseNumber, value: event.complaintId },
            { label: L.facts.decision, value: accepted ? 'accepted' : 'not accepted' },
            accepted && { label: L.facts.remedy, value: remedy },
          ]),
        },
        event.note && { kind: 'notice', title: accepted ? 'Details' : 'Our reasons', text: event.note },
        !accepted && p('If you have any questions or disagree with the decision, please contact us.'),
      ]),
      sms: accepted
        ? [
            `Your ${what} about order ${n} is accepted: ${remedy}. Details: ${url}`,
            `${What} ${n} accepted: ${remedy}. ${url}`,
            `${What} ${n} accepted: ${url}`,
          ]
        : [
            `Your ${what} about order ${n} was not accepted. Details: ${url}`,
            `${What} ${n} not accepted. Details: ${url}`,
            `${What} ${n} not accepted: ${url}`,
          ],
      pushTitle: accepted ? `${What} accepted` : `${What} reviewed`,
      pushBody: accepted
        ? `Your ${what} about order ${n} is accepted: ${remedy}.`
        : `Your ${what} about order ${n} was not accepted. The details are in your e-mail.`,
    };
    return copy;
  },
};
