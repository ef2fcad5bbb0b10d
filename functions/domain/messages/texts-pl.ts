/**
 * Wiadomości po polsku. Piszemy krótko i ciepło, w drugiej osobie, ale bez form czasu przeszłego, które
 * zdradzałyby płeć ("zamówiłeś / zamówiłaś"); SMS-y bez typograficznych cudzysłowów i półpauz (wymuszają
 * UCS-2), z najkrótszą wersją na końcu listy.
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

const L = LABELS.pl;
const p = (text: string): Block => ({ kind: 'paragraph', text });

const nextStep = (context: SharedContext): { blocks: Block[]; short: string } => {
  const { state, facts, formats } = context;
  const instructions = state.payment.instructions;
  const partly = state.payment.status === 'partially_paid';
  // Gdy część kwoty już dotarła, prosimy tylko o resztę.
  const total = partly && facts.amountDue ? facts.amountDue : facts.total;
  if ((state.payment.status !== 'awaiting' && !partly) || !instructions) {
    return {
      blocks: [{ kind: 'notice', text: 'Zamówienie jest już opłacone – dziękujemy!' }],
      short: 'Zamówienie jest opłacone.',
    };
  }
  if (instructions.method === 'cash_on_delivery') {
    return {
      blocks: [
        { kind: 'notice', text: `Płatność przy odbiorze: zapłacisz ${total} przy odbiorze przesyłki.` },
      ],
      short: `Zapłacisz ${total} przy odbiorze.`,
    };
  }
  const due = instructions.dueBy ? ` do ${formats.dateTime(instructions.dueBy)}` : '';
  const shortDue = instructions.dueBy ? ` do ${formats.date(instructions.dueBy)}` : '';
  const pay: Block[] = instructions.paymentUrl
    ? [{ kind: 'button', label: `Zapłać ${total}`, href: instructions.paymentUrl }]
    : [];
  if (instructions.method === 'bank_transfer') {
    return {
      blocks: [
        {
          kind: 'notice',
          title: 'Co dalej? Opłać zamówienie',
          text: `Prosimy o przelew${due}. Zamówienie wyślemy, gdy tylko wpłata zostanie zaksięgowana.`,
        },
        { kind: 'facts', rows: bankTransferFacts(context) },
        ...pay,
      ],
      short: `Prosimy o przelew ${total}${shortDue}.`,
    };
  }
  const method = L.paymentMethod[instructions.method];
  return {
    blocks: [
      {
        kind: 'notice',
        title: 'Co dalej? Opłać zamówienie',
        text: instructions.paymentUrl
          ? `Aby dokończyć zamówienie, zapłać ${total} (${method})${due}.`
          : `Czekamy na płatność ${total} (${method})${due}. Link do płatności znajdziesz na stronie zamówienia.`,
      },
      ...pay,
    ],
    short: `Prosimy o płatność ${total}${shortDue}.`,
  };
};

const methodLabel = (method: string | undefined): string | undefined =>
  method && Object.hasOwn(L.paymentMethod, method) ? L.paymentMethod[method as 'card'] : method;

const kindOf = (context: CopyContext<'Complaint Resolved'>) =>
  findComplaint(context.state, context.event.complaintId)?.kind ?? 'complaint';

export const POLISH: Writer = {
  'Order Placed': (context) => {
    const { facts } = context;
    const n = facts.orderNumber;
    const step = nextStep(context);
    return {
      subject: `Dziękujemy za zamówienie ${n}`,
      preheader: `Otrzymaliśmy zamówienie ${n}. ${step.short}`,
      heading: 'Dziękujemy za zamówienie!',
      blocks: [
        p(`Otrzymaliśmy Twoje zamówienie ${n}. Poniżej znajdziesz jego podsumowanie i informację, co dalej.`),
        ...step.blocks,
        ...orderSummary(context),
        ...deliveryFacts(context),
      ],
      sms: [
        `Dziękujemy za zamówienie ${n}! Szczegóły: ${facts.trackingUrl}`,
        `Dziękujemy za zamówienie ${n}: ${facts.trackingUrl}`,
      ],
      pushTitle: 'Dziękujemy za zamówienie!',
      pushBody: `Zamówienie ${n} przyjęte. ${step.short}`,
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
      const by = instructions?.dueBy ? ` do ${formats.dateTime(instructions.dueBy)}` : '';
      return {
        subject: `Otrzymaliśmy część płatności za zamówienie ${n}`,
        preheader: `Zaksięgowaliśmy ${amount}. Do zapłaty pozostało ${due}.`,
        heading: 'Zaksięgowaliśmy część płatności',
        blocks: present([
          p(`Dziękujemy! Zaksięgowaliśmy wpłatę ${amount} za zamówienie ${n}. Do zapłaty pozostało ${due}.`),
          { kind: 'facts', rows },
          {
            kind: 'notice',
            title: 'Co dalej? Dopłata',
            text: `Prosimy o dopłatę ${due}${by}. Zamówienie będzie opłacone, gdy dotrze cała kwota.`,
          },
          instructions?.method === 'bank_transfer' && { kind: 'facts', rows: bankTransferFacts(context) },
          instructions?.paymentUrl && {
            kind: 'button',
            label: `Dopłać ${due}`,
            href: instructions.paymentUrl,
          },
        ]),
        sms: [
          `Zaksięgowaliśmy ${amount} za zamówienie ${n}, do zapłaty pozostało ${due}. ${url}`,
          `Zamówienie ${n}: wpłata ${amount}, pozostało ${due}: ${url}`,
          `Do zapłaty za ${n}: ${due}. ${url}`,
        ],
        pushTitle: 'Część płatności zaksięgowana',
        pushBody: `Zaksięgowaliśmy ${amount} za zamówienie ${n}. Do zapłaty pozostało ${due}.`,
      };
    }
    const over =
      standing.overpaid > 0
        ? formats.money({ amount: standing.overpaid, currency: standing.currency })
        : undefined;
    return {
      subject: `Otrzymaliśmy płatność za zamówienie ${n}`,
      preheader: `Zaksięgowaliśmy ${amount}. Dziękujemy!`,
      heading: 'Płatność zaksięgowana',
      blocks: present([
        p(`Dziękujemy! Zaksięgowaliśmy wpłatę ${amount} za zamówienie ${n}.`),
        { kind: 'facts', rows },
        standing.payments > 1 && p(`Zamówienie ${n} jest w całości opłacone.`),
        over && p(`To o ${over} więcej, niż wynosi kwota zamówienia – nadpłatę zwrócimy.`),
        p('Teraz zajmiemy się realizacją zamówienia i damy znać o kolejnych krokach.'),
      ]),
      sms: [
        `Płatność za zamówienie ${n} zaksięgowana. Dziękujemy! ${url}`,
        `Płatność za zamówienie ${n} zaksięgowana: ${url}`,
        `Otrzymaliśmy wpłatę za ${n}: ${url}`,
      ],
      pushTitle: 'Płatność zaksięgowana',
      pushBody: `Otrzymaliśmy ${amount} za zamówienie ${n}. Dziękujemy!`,
    };
  },

  'Order Accepted': ({ event, facts, formats }) => {
    const n = facts.orderNumber;
    const shipBy = event.expectedShipBy;
    return {
      subject: `Zamówienie ${n} przyjęte do realizacji`,
      preheader: shipBy ? `Planowana wysyłka: ${formats.date(shipBy)}.` : 'Zaczynamy realizację zamówienia.',
      heading: 'Przyjęliśmy zamówienie do realizacji',
      blocks: present([
        p(`Wszystkie produkty są dostępne i zamówienie ${n} jest już w realizacji.`),
        shipBy && p(`Planujemy wysłać je do ${formats.date(shipBy)}.`),
        p('Gdy paczka wyruszy w drogę, wyślemy Ci numer przesyłki.'),
      ]),
      sms: present([
        shipBy &&
          `Zamówienie ${n} przyjęte do realizacji, wysyłka do ${formats.shortDate(shipBy)}. ${facts.trackingUrl}`,
        `Zamówienie ${n} przyjęte do realizacji: ${facts.trackingUrl}`,
        `Zamówienie ${n} w realizacji: ${facts.trackingUrl}`,
      ]),
      pushTitle: 'Zamówienie przyjęte do realizacji',
      pushBody: shipBy
        ? `Zamówienie ${n} jest w realizacji. Planowana wysyłka: ${formats.date(shipBy)}.`
        : `Zamówienie ${n} jest w realizacji.`,
    };
  },

  'Order On Hold': ({ event, facts, formats, shop }) => {
    const n = facts.orderNumber;
    const contact = event.contact ?? shopContact(shop, 'pl');
    const phone = contact.phone;
    const deadline = formats.shortDateTime(event.contactBy);
    const url = facts.trackingUrl;
    return {
      subject: `Zamówienie ${n} czeka na Twój kontakt`,
      preheader: `Prosimy o kontakt do ${facts.contactBy}.`,
      heading: 'Potrzebujemy Twojego potwierdzenia',
      blocks: present([
        p(`Zanim zaczniemy realizować zamówienie ${n}, prosimy o potwierdzenie:`),
        { kind: 'notice', text: event.toConfirm },
        L.holdReason[event.reason] && p(L.holdReason[event.reason]),
        p(
          `Prosimy o kontakt do ${facts.contactBy}. Bez potwierdzenia w tym terminie możemy być zmuszeni anulować zamówienie.`,
        ),
      ]),
      contact: { title: 'Jak się z nami skontaktować', details: contact },
      sms: present([
        phone && `Zamówienie ${n} czeka na Twój kontakt do ${deadline}, tel. ${phone}. Szczegóły: ${url}`,
        `Zamówienie ${n} czeka na Twój kontakt do ${deadline}. Szczegóły: ${url}`,
        `Zamówienie ${n} czeka na kontakt do ${deadline}: ${url}`,
        `Prosimy o kontakt do ${deadline} ws. ${n}: ${url}`,
        `Zamówienie ${n} czeka na kontakt: ${url}`,
      ]),
      pushTitle: 'Potrzebujemy Twojego potwierdzenia',
      pushBody: `Zamówienie ${n} czeka na Twój kontakt do ${facts.contactBy}.`,
    };
  },

  'Order Resumed': ({ event, facts }) => {
    const n = facts.orderNumber;
    return {
      subject: `Wznawiamy realizację zamówienia ${n}`,
      preheader: 'Dziękujemy za kontakt – zamówienie wraca do realizacji.',
      heading: 'Dziękujemy za kontakt!',
      blocks: present([
        p(`Mamy wszystko, czego potrzebowaliśmy – zamówienie ${n} wraca do realizacji.`),
        event.note && { kind: 'notice', text: event.note },
        p('Damy znać, gdy paczka wyruszy w drogę.'),
      ]),
      sms: [
        `Dziękujemy za kontakt! Wznawiamy realizację zamówienia ${n}. ${facts.trackingUrl}`,
        `Zamówienie ${n} wznowione: ${facts.trackingUrl}`,
      ],
      pushTitle: 'Zamówienie wznowione',
      pushBody: `Dziękujemy za kontakt! Wracamy do realizacji zamówienia ${n}.`,
    };
  },

  'Order Preparing': ({ facts }) => {
    const n = facts.orderNumber;
    return {
      subject: `Przygotowujemy zamówienie ${n} do wysyłki`,
      preheader: 'Kompletujemy i pakujemy Twoje zamówienie.',
      heading: 'Kompletujemy Twoje zamówienie',
      blocks: [
        p(`Zamówienie ${n} jest właśnie przygotowywane do wysyłki.`),
        p('Gdy przekażemy paczkę przewoźnikowi, wyślemy Ci numer przesyłki.'),
      ],
      sms: [
        `Przygotowujemy zamówienie ${n} do wysyłki. ${facts.trackingUrl}`,
        `Zamówienie ${n} w przygotowaniu: ${facts.trackingUrl}`,
      ],
      pushTitle: 'Przygotowujemy zamówienie',
      pushBody: `Zamówienie ${n} jest przygotowywane do wysyłki.`,
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
      parcel_locker: 'Gdy paczka dotrze do automatu paczkowego, przewoźnik wyśle Ci kod odbioru.',
      pickup_point: 'Gdy paczka będzie czekała w punkcie odbioru, przewoźnik da Ci znać.',
      courier: 'Kurier doręczy paczkę pod wskazany adres.',
      post: 'Przesyłkę doręczy listonosz; jeśli nikogo nie zastanie, zostawi awizo.',
    };
    return {
      subject: `Zamówienie ${n} zostało wysłane`,
      preheader: when
        ? `${event.carrier}, przewidywana dostawa: ${formats.date(when)}.`
        : `Przesyłkę doręczy ${event.carrier}.`,
      heading: 'Paczka jest w drodze!',
      blocks: present([
        p(`Przekazaliśmy zamówienie ${n} przewoźnikowi ${event.carrier}.`),
        when && p(`Przewidywana dostawa: ${formats.date(when)}.`),
        shipmentFacts(context, event),
        p(howItArrives[event.method]),
        {
          kind: 'links',
          links: [{ label: 'Śledź przesyłkę na stronie przewoźnika', href: event.trackingUrl }],
        },
      ]),
      sms: present([
        day &&
          `Zamówienie ${n} wysłane: ${event.carrier}, ${method}, nr ${event.trackingNumber}, dostawa ok. ${day}. Śledź: ${url}`,
        day && `Zamówienie ${n} wysłane (${event.carrier}), dostawa ok. ${day}. Śledź: ${url}`,
        `Zamówienie ${n} wysłane (${event.carrier}). Śledź: ${url}`,
        `Zamówienie ${n} wysłane. Śledź: ${url}`,
        `Zamówienie ${n} wysłane: ${url}`,
      ]),
      pushTitle: `Zamówienie ${n} wysłane`,
      pushBody: when
        ? `${event.carrier}: przewidywana dostawa ${formats.date(when)}. Numer przesyłki: ${event.trackingNumber}`
        : `Paczkę doręczy ${event.carrier}. Numer przesyłki: ${event.trackingNumber}`,
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
      subject: `Zamówienie ${n} jest dziś w doręczeniu`,
      preheader: window
        ? `Spodziewaj się paczki w godzinach ${formats.time(window.from)}–${formats.time(window.to)}.`
        : 'Paczka dotrze do Ciebie jeszcze dziś.',
      heading: 'Paczka dotrze dziś!',
      blocks: present([
        p(
          carrier
            ? `${carrier} doręcza dziś Twoje zamówienie ${n}.`
            : `Twoje zamówienie ${n} jest dziś w doręczeniu.`,
        ),
        window &&
          p(
            `Spodziewaj się paczki ${formats.date(window.from)} w godzinach ${formats.time(window.from)}–${formats.time(window.to)}.`,
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
        hours && carrier && `Zamówienie ${n} dziś w doręczeniu (${carrier}), ${hours}. Śledź: ${url}`,
        hours && `Zamówienie ${n} dziś w doręczeniu, ${hours}. Śledź: ${url}`,
        `Zamówienie ${n} dziś w doręczeniu. Śledź: ${url}`,
        `Zamówienie ${n} dziś u Ciebie: ${url}`,
      ]),
      pushTitle: 'Paczka dotrze dziś',
      pushBody: window
        ? `Zamówienie ${n} jest w doręczeniu, między ${formats.time(window.from)} a ${formats.time(window.to)}.`
        : `Zamówienie ${n} jest dziś w doręczeniu.`,
    };
  },

  'Order Delivered': ({ event, facts, shop, formats, withdrawalUntil }) => {
    const n = facts.orderNumber;
    const where = event.location ? L.deliveryLocation[event.location] : 'dostarczone';
    const links = afterSalesLinks(shop, 'pl');
    return {
      subject: `Zamówienie ${n} zostało dostarczone`,
      preheader: 'Mamy nadzieję, że wszystko się podoba. Dziękujemy za zakupy!',
      heading: 'Paczka dotarła!',
      blocks: present([
        p(`Zamówienie ${n} zostało ${where}.`),
        p('Mamy nadzieję, że wszystko się podoba. Dziękujemy za zakupy!'),
        withdrawalUntil &&
          p(
            `Jeśli coś nie pasuje, możesz odstąpić od umowy bez podania przyczyny do ${formats.date(withdrawalUntil)} (14 dni od dostawy).`,
          ),
        links.length > 0 && {
          kind: 'links',
          title: 'Przydatne po zakupie',
          links,
        },
      ]),
      afterSalesInBody: links.length > 0,
      sms: [
        `Zamówienie ${n} dostarczone. Dziękujemy za zakupy! ${facts.trackingUrl}`,
        `Zamówienie ${n} dostarczone: ${facts.trackingUrl}`,
      ],
      pushTitle: 'Paczka dotarła!',
      pushBody: `Zamówienie ${n} zostało dostarczone. Dziękujemy za zakupy!`,
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
      subject: `Zamówienie ${n} zostało anulowane`,
      preheader: money ? `Zwrot ${money} jest w drodze.` : 'Szczegóły anulowania w środku.',
      heading: 'Zamówienie anulowane',
      blocks: present([
        p(
          event.cancelledBy === 'customer'
            ? `Zgodnie z Twoją prośbą anulowaliśmy zamówienie ${n}.`
            : `Anulowaliśmy zamówienie ${n}.`,
        ),
        event.fault === 'shop' && p('Bardzo przepraszamy za kłopot.'),
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
              ? `Zwrot ${money} otrzymasz do ${formats.date(by)}.`
              : `Zwrot ${money} otrzymasz w ciągu kilku dni roboczych.`,
          ),
        !money &&
          state.payment.status === 'awaiting' &&
          p('Zamówienie nie zostało opłacone, więc nie musisz nic robić.'),
        event.costsRetained &&
          p(
            `Zgodnie z regulaminem sklepu zatrzymujemy ${formats.money(event.costsRetained)} na pokrycie poniesionych już kosztów.`,
          ),
        (stage === 'shipped' || stage === 'out_for_delivery') &&
          p(
            'Paczka została już nadana – jeśli do Ciebie dotrze, prosimy jej nie odbierać, wróci wtedy do nas.',
          ),
      ]),
      sms: present([
        money &&
          by &&
          `Zamówienie ${n} anulowane. Zwrot ${money} do ${formats.shortDate(by)}. Szczegóły: ${url}`,
        money && `Zamówienie ${n} anulowane, zwrot ${money}: ${url}`,
        `Zamówienie ${n} anulowane. Szczegóły: ${url}`,
        `Zamówienie ${n} anulowane: ${url}`,
      ]),
      pushTitle: 'Zamówienie anulowane',
      pushBody: money
        ? `Zamówienie ${n} zostało anulowane. Zwrot: ${money}.`
        : `Zamówienie ${n} zostało anulowane.`,
    };
  },

  'Return Requested': ({ event, state, facts, shop }) => {
    const n = facts.orderNumber;
    const returnsLink = afterSalesLinks(shop, 'pl', ['returns']);
    return {
      subject: `Przyjęliśmy zgłoszenie zwrotu – zamówienie ${n}`,
      preheader: `Zgłoszenie ${event.returnId} zarejestrowane.`,
      heading: 'Przyjęliśmy zgłoszenie zwrotu',
      blocks: present([
        p(`Zgłoszenie zwrotu ${event.returnId} do zamówienia ${n} zostało zarejestrowane.`),
        {
          kind: 'items',
          title: `Zwracasz: ${L.products(event.lines.reduce((sum, line) => sum + line.quantity, 0))}`,
          items: event.lines.map((line) => ({
            name: productName(state, line.sku),
            quantity: L.summary.quantity(line.quantity),
          })),
        },
        event.reason && { kind: 'facts', rows: [{ label: L.facts.reason, value: event.reason }] },
        returnsLink.length > 0 && p('Jak przygotować i odesłać paczkę, przeczytasz w zasadach zwrotów:'),
        returnsLink.length > 0 && { kind: 'links', links: returnsLink },
        p('Gdy paczka do nas dotrze, damy znać i zlecimy zwrot pieniędzy.'),
      ]),
      sms: [
        `Przyjęliśmy zgłoszenie zwrotu do zamówienia ${n}. ${facts.trackingUrl}`,
        `Zwrot do zamówienia ${n} przyjęty: ${facts.trackingUrl}`,
      ],
      pushTitle: 'Zgłoszenie zwrotu przyjęte',
      pushBody: `Zarejestrowaliśmy zwrot ${event.returnId} do zamówienia ${n}.`,
    };
  },

  'Return Received': ({ event, facts }) => {
    const n = facts.orderNumber;
    const worn = event.condition === 'used' || event.condition === 'damaged';
    return {
      subject: `Otrzymaliśmy zwrot do zamówienia ${n}`,
      preheader: 'Zwracane produkty są już u nas.',
      heading: 'Zwrot dotarł do nas',
      blocks: present([
        p(`Otrzymaliśmy zwracane produkty (zwrot ${event.returnId}, zamówienie ${n}).`),
        event.condition && p(L.returnCondition[event.condition]),
        p(
          worn
            ? 'Jeśli wpłynie to na kwotę zwrotu, skontaktujemy się z Tobą.'
            : 'Wkrótce zlecimy zwrot pieniędzy i potwierdzimy go osobną wiadomością.',
        ),
      ]),
      sms: [
        `Zwrot do zamówienia ${n} dotarł do nas. Wkrótce zlecimy zwrot pieniędzy. ${facts.trackingUrl}`,
        `Zwrot do zamówienia ${n} dotarł do nas: ${facts.trackingUrl}`,
        `Zwrot ${n} dotarł: ${facts.trackingUrl}`,
      ],
      pushTitle: 'Zwrot dotarł do nas',
      pushBody: `Otrzymaliśmy zwracane produkty z zamówienia ${n}.`,
    };
  },

  'Refund Issued': ({ event, state, facts, formats }) => {
    const n = facts.orderNumber;
    const method = methodLabel(event.method);
    const currency = state.totals?.currency ?? event.amount.currency;
    const total = state.payment.refunded;
    return {
      subject: `Zwróciliśmy pieniądze za zamówienie ${n}`,
      preheader: `Zleciliśmy zwrot ${facts.amount}.`,
      heading: 'Pieniądze są w drodze',
      blocks: [
        p(`Zleciliśmy zwrot ${facts.amount} za zamówienie ${n}.`),
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
        p('Pieniądze zwykle pojawiają się na koncie w ciągu kilku dni roboczych.'),
      ],
      sms: [
        `Zwróciliśmy ${facts.amount} za zamówienie ${n}. ${facts.trackingUrl}`,
        `Zwrot ${facts.amount} za ${n}: ${facts.trackingUrl}`,
      ],
      pushTitle: 'Zwrot pieniędzy zlecony',
      pushBody: `Zleciliśmy zwrot ${facts.amount} za zamówienie ${n}.`,
    };
  },

  'Complaint Opened': ({ event, state, facts, shop }) => {
    const n = facts.orderNumber;
    const warranty = event.kind === 'warranty';
    const terms = afterSalesLinks(shop, 'pl', [warranty ? 'warranty' : 'complaints']);
    return {
      subject: warranty
        ? `Przyjęliśmy zgłoszenie gwarancyjne – zamówienie ${n}`
        : `Przyjęliśmy reklamację – zamówienie ${n}`,
      preheader: `Numer zgłoszenia: ${event.complaintId}.`,
      heading: warranty ? 'Przyjęliśmy Twoje zgłoszenie gwarancyjne' : 'Przyjęliśmy Twoją reklamację',
      blocks: present([
        p(
          warranty
            ? `Dziękujemy za zgłoszenie dotyczące zamówienia ${n}. Rozpatrzymy je najszybciej, jak to możliwe, i poinformujemy Cię o decyzji.`
            : `Dziękujemy za zgłoszenie dotyczące zamówienia ${n}. Rozpatrzymy reklamację najszybciej, jak to możliwe, i poinformujemy Cię o decyzji.`,
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
      sms: warranty
        ? [
            `Przyjęliśmy zgłoszenie gwarancyjne do zamówienia ${n}. ${facts.trackingUrl}`,
            `Zgłoszenie gwarancyjne ${n} przyjęte: ${facts.trackingUrl}`,
          ]
        : [
            `Przyjęliśmy reklamację do zamówienia ${n}. ${facts.trackingUrl}`,
            `Reklamacja ${n} przyjęta: ${facts.trackingUrl}`,
          ],
      pushTitle: warranty ? 'Zgłoszenie gwarancyjne przyjęte' : 'Reklamacja przyjęta',
      pushBody: `Rozpatrujemy zgłoszenie ${event.complaintId} do zamówienia ${n}.`,
    };
  },

  'Complaint Resolved': (context) => {
    const { event, facts } = context;
    const n = facts.orderNumber;
    const url = facts.trackingUrl;
    const warranty = kindOf(context) === 'warranty';
    const accepted = event.outcome === 'accepted';
    const remedy = L.remedy[event.remedy];
    const remedySentence: Record<typeof event.remedy, string> = {
      repair: 'Naprawimy produkt i odeślemy go do Ciebie.',
      replacement: 'Wymienimy produkt na nowy.',
      price_reduction: 'Obniżymy cenę produktu i zwrócimy Ci różnicę.',
      refund: 'Zwrócimy Ci pieniądze za produkt.',
      none: '',
    };
    const what = warranty ? 'Zgłoszenie gwarancyjne' : 'Reklamacja';
    const verdict = accepted ? (warranty ? 'uznane' : 'uznana') : warranty ? 'nieuznane' : 'nieuznana';
    const copy: MessageCopy = {
      subject: accepted
        ? `${what} do zamówienia ${n} ${warranty ? 'zostało uznane' : 'została uznana'}`
        : `${what} do zamówienia ${n} ${warranty ? 'zostało rozpatrzone' : 'została rozpatrzona'}`,
      preheader: accepted ? `Rozwiązanie: ${remedy}.` : 'Uzasadnienie decyzji w środku.',
      heading: accepted
        ? warranty
          ? 'Uznaliśmy Twoje zgłoszenie gwarancyjne'
          : 'Uznaliśmy Twoją reklamację'
        : warranty
          ? 'Nie możemy uznać Twojego zgłoszenia gwarancyjnego'
          : 'Nie możemy uznać Twojej reklamacji',
      blocks: present([
        p(
          accepted
            ? `Rozpatrzyliśmy zgłoszenie ${event.complaintId} do zamówienia ${n} na Twoją korzyść. ${remedySentence[event.remedy]}`
            : `Rozpatrzyliśmy zgłoszenie ${event.complaintId} do zamówienia ${n}. Niestety, tym razem nie możemy go uznać.`,
        ),
        {
          kind: 'facts',
          rows: present([
            { label: L.facts.caseNumber, value: event.complaintId },
            { label: L.facts.decision, value: accepted ? 'pozytywna' : 'negatywna' },
            accepted && { label: L.facts.remedy, value: remedy },
          ]),
        },
        event.note && { kind: 'notice', title: accepted ? 'Szczegóły' : 'Uzasadnienie', text: event.note },
        !accepted && p('Jeśli masz pytania lub nie zgadzasz się z decyzją, skontaktuj się z nami.'),
      ]),
      sms: accepted
        ? [
            `${what} do zamówienia ${n} ${verdict}: ${remedy}. Szczegóły: ${url}`,
            `${what} ${n} ${verdict}: ${remedy}. ${url}`,
            `${what} ${n} ${verdict}: ${url}`,
          ]
        : [
            `${what} do zamówienia ${n} rozpatrzon${warranty ? 'e' : 'a'} negatywnie. Szczegóły: ${url}`,
            `${what} ${n} ${verdict}. Szczegóły: ${url}`,
            `${what} ${n} ${verdict}: ${url}`,
          ],
      pushTitle: accepted ? `${what} ${verdict}` : `${what} rozpatrzon${warranty ? 'e' : 'a'}`,
      pushBody: accepted
        ? `${what} do zamówienia ${n}: ${remedy}.`
        : `${what} do zamówienia ${n} nie ${warranty ? 'zostało uznane' : 'została uznana'}. Szczegóły w e-mailu.`,
    };
    return copy;
  },
};
