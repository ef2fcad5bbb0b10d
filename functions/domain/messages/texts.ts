/**
 * Labels every message shares, in Polish and English: names of methods, reasons and remedies, the e-mail
 * frame (tracking button, contact, after-sales links, footer) and the order summary. Plural forms go
 * through i18n.plural (Intl.PluralRules), never through hand-written rules.
 */
import { type Language, plural } from '../i18n.js';
import type { OrderEventOf } from '../order-events.js';
import type { OrderState } from '../order-lifecycle.js';
import type { ShopConfig } from '../shop-config.js';

type PaymentMethod = NonNullable<OrderState['payment']['method']>;
type DeliveryMethod = NonNullable<OrderState['delivery']>['method'];
type CancellationReason = OrderEventOf<'Order Cancelled'>['reason'];
type HoldReason = OrderEventOf<'Order On Hold'>['reason'];
type Remedy = OrderEventOf<'Complaint Resolved'>['remedy'];
type ReturnCondition = NonNullable<OrderEventOf<'Return Received'>['condition']>;
type DeliveryLocation = NonNullable<OrderEventOf<'Order Delivered'>['location']>;
export type AfterSalesLink = keyof ShopConfig['links'];

export interface Labels {
  readonly paymentMethod: Readonly<Record<PaymentMethod, string>>;
  readonly deliveryMethod: Readonly<Record<DeliveryMethod, string>>;
  readonly cancellationReason: Readonly<Record<CancellationReason, string>>;
  readonly holdReason: Readonly<Record<HoldReason, string>>;
  /** Short, for SMS and fact rows: "wymiana" / "replacement". */
  readonly remedy: Readonly<Record<Remedy, string>>;
  readonly returnCondition: Readonly<Record<ReturnCondition, string>>;
  readonly deliveryLocation: Readonly<Record<DeliveryLocation, string>>;
  readonly afterSales: Readonly<Record<AfterSalesLink, string>>;
  readonly products: (count: number) => string;
  /** "2 wpłaty" / "2 payments". */
  readonly payments: (count: number) => string;
  readonly frame: {
    /** The salutation; `firstName` is '' when unknown. Plain text: the e-mail escapes it. */
    readonly greeting: (firstName: string) => string;
    readonly order: (orderNumber: string) => string;
    readonly track: string;
    readonly trackHint: string;
    readonly contactTitle: string;
    readonly phone: string;
    readonly email: string;
    readonly chat: string;
    readonly chatLink: string;
    readonly contactForm: string;
    readonly contactFormLink: string;
    readonly hours: string;
    readonly afterSalesTitle: string;
    readonly about: (shopName: string, orderNumber: string) => string;
    readonly unsubscribePrompt: string;
    readonly unsubscribe: string;
  };
  readonly summary: {
    readonly title: (count: number) => string;
    readonly quantity: (quantity: number) => string;
    readonly personalisation: string;
    readonly subtotal: string;
    readonly shipping: string;
    readonly freeShipping: string;
    readonly discount: string;
    readonly total: string;
    readonly deliveryTitle: string;
    readonly deliveryMethod: string;
    readonly deliverTo: string;
    readonly pickupPoint: string;
  };
  readonly facts: {
    readonly amount: string;
    readonly method: string;
    readonly reference: string;
    readonly carrier: string;
    readonly deliveryMethod: string;
    readonly trackingNumber: string;
    readonly expectedDelivery: string;
    readonly deliveryWindow: string;
    readonly reason: string;
    readonly refund: string;
    readonly refundBy: string;
    readonly costsRetained: string;
    readonly returnId: string;
    readonly refundedSoFar: string;
    readonly paidSoFar: string;
    readonly stillDue: string;
    readonly caseNumber: string;
    readonly caseSubject: string;
    readonly product: string;
    readonly decision: string;
    readonly remedy: string;
    readonly recipient: string;
    readonly account: string;
    readonly transferTitle: string;
    readonly dueBy: string;
  };
}

const PL: Labels = {
  paymentMethod: {
    bank_transfer: 'przelew tradycyjny',
    card: 'karta płatnicza',
    blik: 'BLIK',
    online_transfer: 'szybki przelew online',
    cash_on_delivery: 'płatność przy odbiorze',
    other: 'inna metoda płatności',
  },
  deliveryMethod: {
    courier: 'kurier',
    post: 'poczta',
    parcel_locker: 'automat paczkowy',
    pickup_point: 'punkt odbioru',
    store_pickup: 'odbiór w sklepie',
  },
  cancellationReason: {
    customer_request: 'rezygnacja z zamówienia',
    payment_not_received: 'nie otrzymaliśmy płatności w terminie',
    out_of_stock: 'zamówiony produkt jest niedostępny',
    no_customer_contact: 'nie otrzymaliśmy potwierdzenia w wyznaczonym terminie',
    wrong_product_sent: 'wysłaliśmy niewłaściwy produkt',
    delivery_impossible: 'dostawa pod wskazany adres nie jest możliwa',
    fraud_suspected: 'zamówienie nie przeszło weryfikacji',
    other: 'inny powód',
  },
  holdReason: {
    personalisation:
      'W zamówieniu jest produkt personalizowany – chcemy wykonać go dokładnie tak, jak sobie życzysz.',
    made_to_measure: 'Produkt wykonujemy na wymiar, dlatego musimy potwierdzić szczegóły.',
    limited_edition: 'To edycja limitowana – potwierdźmy zamówienie, zanim zarezerwujemy Twój egzemplarz.',
    remote_delivery: 'Dostawa pod wskazany adres wymaga uzgodnienia szczegółów.',
    size_confirmation: 'Chcemy mieć pewność, że rozmiar będzie pasował.',
    other: '',
  },
  remedy: {
    repair: 'naprawa',
    replacement: 'wymiana na nowy',
    price_reduction: 'obniżenie ceny',
    refund: 'zwrot pieniędzy',
    none: 'brak',
  },
  returnCondition: {
    as_new: 'Produkty są w stanie nienaruszonym.',
    used: 'Produkty noszą ślady użytkowania.',
    damaged: 'Produkty są uszkodzone.',
  },
  deliveryLocation: {
    door: 'doręczone pod wskazany adres',
    neighbour: 'zostawione u sąsiada',
    parcel_locker: 'doręczone do automatu paczkowego',
    pickup_point: 'doręczone do punktu odbioru',
    store: 'odebrane w sklepie',
  },
  afterSales: {
    returns: 'Zwroty',
    complaints: 'Reklamacje',
    warranty: 'Gwarancja',
    productCare: 'Pielęgnacja produktów',
    servicePoints: 'Punkty serwisowe',
    knowledgeBase: 'Centrum pomocy',
    documentation: 'Instrukcje i dokumentacja',
  },
  products: (count) =>
    plural(count, { one: '# produkt', few: '# produkty', many: '# produktów', other: '# produktu' }, 'pl'),
  payments: (count) =>
    plural(count, { one: '# wpłata', few: '# wpłaty', many: '# wpłat', other: '# wpłaty' }, 'pl'),
  frame: {
    // The name stays in the nominative: the vocative ("Anno", "Kubo", "Pawle") cannot be derived from a
    // name reliably, and a wrong one reads worse than none. "Dzień dobry, Anna!" keeps the formal
    // greeting and, closed by "!", reads as a salutation rather than a failed vocative (as in
    // "Dzień dobry, Anno,").
    greeting: (firstName) => (firstName ? `Dzień dobry, ${firstName}!` : 'Dzień dobry,'),
    order: (orderNumber) => `Zamówienie ${orderNumber}`,
    track: 'Sprawdź status zamówienia',
    trackHint: 'Na stronie zamówienia zawsze znajdziesz jego aktualny status.',
    contactTitle: 'Masz pytania? Chętnie pomożemy',
    phone: 'Telefon',
    email: 'E-mail',
    chat: 'Czat',
    chatLink: 'Napisz do nas na czacie',
    contactForm: 'Formularz',
    contactFormLink: 'Formularz kontaktowy',
    hours: 'Odpowiadamy',
    afterSalesTitle: 'Przydatne informacje',
    about: (shopName, orderNumber) => `${shopName} · wiadomość dotyczy zamówienia ${orderNumber}.`,
    unsubscribePrompt: 'Nie chcesz otrzymywać takich wiadomości?',
    unsubscribe: 'Wypisz się',
  },
  summary: {
    title: (count) => `W zamówieniu: ${PL.products(count)}`,
    quantity: (quantity) => `${quantity} szt.`,
    personalisation: 'Personalizacja',
    subtotal: 'Produkty',
    shipping: 'Dostawa',
    freeShipping: 'gratis',
    discount: 'Rabat',
    total: 'Razem',
    deliveryTitle: 'Dostawa',
    deliveryMethod: 'Sposób dostawy',
    deliverTo: 'Odbiorca',
    pickupPoint: 'Punkt odbioru',
  },
  facts: {
    amount: 'Kwota',
    method: 'Metoda',
    reference: 'Numer transakcji',
    carrier: 'Przewoźnik',
    deliveryMethod: 'Sposób dostawy',
    trackingNumber: 'Numer przesyłki',
    expectedDelivery: 'Przewidywana dostawa',
    deliveryWindow: 'Godziny doręczenia',
    reason: 'Powód',
    refund: 'Zwrot',
    refundBy: 'Zwrot do',
    costsRetained: 'Potrącone koszty',
    returnId: 'Numer zwrotu',
    refundedSoFar: 'Zwrócono łącznie',
    paidSoFar: 'Wpłacono łącznie',
    stillDue: 'Pozostało do zapłaty',
    caseNumber: 'Numer zgłoszenia',
    caseSubject: 'Opis problemu',
    product: 'Produkt',
    decision: 'Decyzja',
    remedy: 'Rozwiązanie',
    recipient: 'Odbiorca',
    account: 'Numer konta',
    transferTitle: 'Tytuł przelewu',
    dueBy: 'Termin płatności',
  },
};

const EN: Labels = {
  paymentMethod: {
    bank_transfer: 'bank transfer',
    card: 'card',
    blik: 'BLIK',
    online_transfer: 'online bank transfer',
    cash_on_delivery: 'cash on delivery',
    other: 'other payment method',
  },
  deliveryMethod: {
    courier: 'courier',
    post: 'post',
    parcel_locker: 'parcel locker',
    pickup_point: 'pickup point',
    store_pickup: 'in-store pickup',
  },
  cancellationReason: {
    customer_request: 'you asked us to cancel it',
    payment_not_received: 'we did not receive the payment in time',
    out_of_stock: 'an item you ordered is out of stock',
    no_customer_contact: 'we did not hear from you by the deadline',
    wrong_product_sent: 'we sent the wrong item',
    delivery_impossible: 'we cannot deliver to the address given',
    fraud_suspected: 'we could not verify the order',
    other: 'other reason',
  },
  holdReason: {
    personalisation: 'Your order includes a personalised item, and we want to get it exactly right.',
    made_to_measure: 'Your item is made to measure, so we need to confirm the details.',
    limited_edition: "This is a limited edition, so we'd like to confirm before we reserve your piece.",
    remote_delivery: 'Delivery to your address needs a few details agreed first.',
    size_confirmation: 'We want to make sure the size is right for you.',
    other: '',
  },
  remedy: {
    repair: 'repair',
    replacement: 'replacement',
    price_reduction: 'price reduction',
    refund: 'refund',
    none: 'none',
  },
  returnCondition: {
    as_new: 'The items are in as-new condition.',
    used: 'The items show signs of use.',
    damaged: 'The items are damaged.',
  },
  deliveryLocation: {
    door: 'delivered to your address',
    neighbour: 'left with a neighbour',
    parcel_locker: 'delivered to the parcel locker',
    pickup_point: 'delivered to the pickup point',
    store: 'collected in store',
  },
  afterSales: {
    returns: 'Returns',
    complaints: 'Complaints',
    warranty: 'Warranty',
    productCare: 'Product care',
    servicePoints: 'Service points',
    knowledgeBase: 'Help centre',
    documentation: 'Manuals and documentation',
  },
  products: (count) => plural(count, { one: '# item', other: '# items' }, 'en'),
  payments: (count) => plural(count, { one: '# payment', other: '# payments' }, 'en'),
  frame: {
    greeting: (firstName) => (firstName ? `Hello ${firstName},` : 'Hello,'),
    order: (orderNumber) => `Order ${orderNumber}`,
    track: 'Track your order',
    trackHint: 'The order page always shows its current status.',
    contactTitle: 'Questions? We are happy to help',
    phone: 'Phone',
    email: 'E-mail',
    chat: 'Chat',
    chatLink: 'Chat with us',
    contactForm: 'Form',
    contactFormLink: 'Contact form',
    hours: 'We answer',
    afterSalesTitle: 'Useful information',
    about: (shopName, orderNumber) => `${shopName} · this message is about order ${orderNumber}.`,
    unsubscribePrompt: "Don't want these messages?",
    unsubscribe: 'Unsubscribe',
  },
  summary: {
    title: (count) => `Your order: ${EN.products(count)}`,
    quantity: (quantity) => `× ${quantity}`,
    personalisation: 'Personalisation',
    subtotal: 'Items',
    shipping: 'Delivery',
    freeShipping: 'free',
    discount: 'Discount',
    total: 'Total',
    deliveryTitle: 'Delivery',
    deliveryMethod: 'Delivery method',
    deliverTo: 'Recipient',
    pickupPoint: 'Pickup point',
  },
  facts: {
    amount: 'Amount',
    method: 'Method',
    reference: 'Reference',
    carrier: 'Carrier',
    deliveryMethod: 'Delivery method',
    trackingNumber: 'Tracking number',
    expectedDelivery: 'Expected delivery',
    deliveryWindow: 'Delivery window',
    reason: 'Reason',
    refund: 'Refund',
    refundBy: 'Refund by',
    costsRetained: 'Costs retained',
    returnId: 'Return number',
    refundedSoFar: 'Refunded in total',
    paidSoFar: 'Received in total',
    stillDue: 'Still due',
    caseNumber: 'Case number',
    caseSubject: 'Problem',
    product: 'Product',
    decision: 'Decision',
    remedy: 'Remedy',
    recipient: 'Payee',
    account: 'Account number',
    transferTitle: 'Payment reference',
    dueBy: 'Pay by',
  },
};

export const LABELS: Readonly<Record<Language, Labels>> = { pl: PL, en: EN };
