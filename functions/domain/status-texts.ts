/**
 * Customer-facing texts of the order status API and tracking page, in every language: timeline labels,
 * reasons, outcomes, "what happens next" hints and the page's own words. Status and payment labels live
 * in i18n.ts (shared with the messages); everything here is specific to the status view.
 *
 * The shop speaks of itself in the third person ("the shop is preparing…") and to the customer as "you"
 * (Polish: the informal "Ty", capitalised as in customer correspondence). Polish adjectives agree in
 * gender with their noun, so labels that stand alone (e.g. a complaint's decision) are phrased to avoid a
 * gendered form that could not fit every noun.
 */
import type { Language, PluralForms } from './i18n.js';
import type { Channel, NotificationOutcome } from './notification-log.js';
import type { OrderEventOf, OrderEventType } from './order-events.js';

type Placed = OrderEventOf<'Order Placed'>;
export type CancellationReason = OrderEventOf<'Order Cancelled'>['reason'];
export type HoldReason = OrderEventOf<'Order On Hold'>['reason'];
export type DeliveryMethod = Placed['delivery']['method'];
export type DeliveryLocation = NonNullable<OrderEventOf<'Order Delivered'>['location']>;
export type PaymentMethod = Placed['payment']['method'];
export type Remedy = OrderEventOf<'Complaint Resolved'>['remedy'];
export type ReturnStatus = 'requested' | 'received' | 'refunded';
export type ComplaintKind = 'complaint' | 'warranty';
export type ComplaintStatus = 'open' | 'resolved';
export type ComplaintOutcome = 'accepted' | 'rejected';

export const AFTER_SALES_LINKS = [
  'returns',
  'complaints',
  'warranty',
  'productCare',
  'servicePoints',
  'knowledgeBase',
  'documentation',
] as const;
export type AfterSalesLink = (typeof AFTER_SALES_LINKS)[number];

/** The "what happens next" situations: a status, and for a new order how it is paid. */
export const NEXT_STEP_KEYS = [
  'awaiting_placement',
  'placed_awaiting_payment',
  'placed_partially_paid',
  'placed_paid',
  'placed_cash_on_delivery',
  'accepted',
  'on_hold',
  'preparing',
  'shipped',
  'out_for_delivery',
  'delivered',
  /** Cancelled with money paid that has not all come back yet. */
  'cancelled',
  /** Cancelled before anything was paid: nothing to return. */
  'cancelled_unpaid',
  /** Cancelled, and the refund has been issued. */
  'cancelled_refunded',
] as const;
export type NextStepKey = (typeof NEXT_STEP_KEYS)[number];

export const PAGE_TEXT_KEYS = [
  'documentTitle',
  'orderHeading',
  'skipToContent',
  'languageNav',
  'orderNumber',
  'placedOn',
  'statusHeading',
  'since',
  'nextHeading',
  'holdHeading',
  'holdReason',
  'holdToConfirm',
  'holdContactBy',
  'holdDeadlineIn',
  'holdDeadlineToday',
  'holdDeadlinePassed',
  'holdWarning',
  'paymentHeading',
  'paymentStatus',
  'paymentMethod',
  'payBy',
  'payOnline',
  'bankAccount',
  'transferTitle',
  'amountDue',
  'amountReceived',
  'amountInConfirmation',
  'shipmentHeading',
  'carrier',
  'trackingNumber',
  'trackParcel',
  'expectedDelivery',
  'deliveryWindow',
  'deliveredOn',
  'deliveredTo',
  'deliveryHeading',
  'deliveryMethod',
  'deliveryPlace',
  'itemsHeading',
  'quantity',
  'subtotal',
  'shipping',
  'discount',
  'total',
  'cancellationHeading',
  'cancelledOn',
  'cancelledBy',
  'cancellationReason',
  'refund',
  'refundBy',
  'refundPending',
  'refundReturned',
  'costsRetained',
  'timelineHeading',
  'returnsHeading',
  'returnTitle',
  'returnItems',
  'requestedOn',
  'receivedOn',
  'refundedOn',
  'complaintsHeading',
  'complaintTitle',
  'openedOn',
  'resolvedOn',
  'decision',
  'remedy',
  'withdrawal',
  'withdrawalUntil',
  'refundDue',
  'refundDueBy',
  'answerDue',
  'complaintAnswerBy',
  'notificationsHeading',
  'notificationsEmpty',
  'notificationsEarlier',
  'notificationOutcome',
  'customerHeading',
  'customerName',
  'customerEmail',
  'customerPhone',
  'contactHeading',
  'contactIntro',
  'phone',
  'email',
  'chat',
  'chatLink',
  'contactForm',
  'contactFormLink',
  'hours',
  'helpHeading',
  'reducedNotice',
  'privacyNote',
  'notFoundTitle',
  'notFoundText',
  'tooManyRequestsTitle',
  'tooManyRequestsText',
  'badRequestTitle',
  'badRequestText',
  'errorTitle',
  'errorText',
] as const;
export type PageTextKey = (typeof PAGE_TEXT_KEYS)[number];

export interface StatusTexts {
  /** Timeline entry per applied event. */
  readonly events: Readonly<Record<OrderEventType, string>>;
  readonly cancellationReasons: Readonly<Record<CancellationReason, string>>;
  readonly cancelledBy: Readonly<Record<'customer' | 'shop', string>>;
  readonly holdReasons: Readonly<Record<HoldReason, string>>;
  readonly nextSteps: Readonly<Record<NextStepKey, string>>;
  readonly deliveryMethods: Readonly<Record<DeliveryMethod, string>>;
  readonly deliveryLocations: Readonly<Record<DeliveryLocation, string>>;
  readonly paymentMethods: Readonly<Record<PaymentMethod, string>>;
  readonly returnStatuses: Readonly<Record<ReturnStatus, string>>;
  readonly complaintKinds: Readonly<Record<ComplaintKind, string>>;
  readonly complaintStatuses: Readonly<Record<ComplaintStatus, string>>;
  readonly complaintOutcomes: Readonly<Record<ComplaintOutcome, string>>;
  readonly remedies: Readonly<Record<Remedy, string>>;
  readonly channels: Readonly<Record<Channel, string>>;
  readonly notificationOutcomes: Readonly<Record<NotificationOutcome, string>>;
  readonly links: Readonly<Record<AfterSalesLink, string>>;
  /** `#` is replaced by the count (see `plural` in i18n.ts). */
  readonly plurals: { readonly items: PluralForms; readonly days: PluralForms };
  /** Page words; `{name}` placeholders are filled by `fillText`. */
  readonly page: Readonly<Record<PageTextKey, string>>;
}

/** Each language's name in that language, for the language switch. */
export const LANGUAGE_NAMES: Readonly<Record<Language, string>> = { pl: 'Polski', en: 'English' };

export const STATUS_TEXTS: Readonly<Record<Language, StatusTexts>> = {
  pl: {
    events: {
      'Order Placed': 'Zamówienie złożone',
      'Payment Received': 'Płatność zaksięgowana',
      'Order Accepted': 'Zamówienie przyjęte do realizacji',
      'Order On Hold': 'Realizacja wstrzymana do czasu kontaktu',
      'Order Resumed': 'Realizacja wznowiona',
      'Order Preparing': 'Przygotowanie do wysyłki',
      'Order Shipped': 'Przesyłka nadana',
      'Order Out For Delivery': 'Przesyłka w doręczeniu',
      'Order Delivered': 'Przesyłka dostarczona',
      'Order Cancelled': 'Zamówienie anulowane',
      'Return Requested': 'Zgłoszono zwrot',
      'Return Received': 'Zwrot dotarł do sklepu',
      'Refund Issued': 'Pieniądze zostały zwrócone',
      'Complaint Opened': 'Przyjęto zgłoszenie reklamacyjne',
      'Complaint Resolved': 'Zgłoszenie reklamacyjne rozpatrzone',
    },
    cancellationReasons: {
      customer_request: 'Na Twoją prośbę',
      payment_not_received: 'Płatność nie wpłynęła w terminie',
      out_of_stock: 'Produkt jest niedostępny',
      no_customer_contact: 'Brak kontaktu z Twojej strony w wyznaczonym terminie',
      wrong_product_sent: 'Sklep wysłał niewłaściwy produkt',
      delivery_impossible: 'Doręczenie nie było możliwe',
      fraud_suspected: 'Zamówienie nie przeszło weryfikacji',
      other: 'Inny powód',
    },
    cancelledBy: { customer: 'Ty', shop: 'Sklep' },
    holdReasons: {
      personalisation: 'Potwierdzenie personalizacji (np. treści graweru)',
      made_to_measure: 'Potwierdzenie wymiarów produktu na zamówienie',
      limited_edition: 'Potwierdzenie zamówienia z edycji limitowanej',
      remote_delivery: 'Uzgodnienie dostawy w trudno dostępne miejsce',
      size_confirmation: 'Potwierdzenie rozmiaru',
      other: 'Potrzebne są dodatkowe ustalenia',
    },
    nextSteps: {
      awaiting_placement: 'Sklep jeszcze nie potwierdził zamówienia.',
      placed_awaiting_payment:
        'Opłać zamówienie – dane do płatności znajdziesz poniżej. Gdy płatność zostanie zaksięgowana, sklep przyjmie zamówienie do realizacji.',
      placed_partially_paid:
        'Dotarła część płatności. Dopłać brakującą kwotę – dane do płatności znajdziesz poniżej. Gdy dotrze cała kwota, sklep przyjmie zamówienie do realizacji.',
      placed_paid: 'Płatność dotarła. Sklep sprawdza dostępność produktów i wkrótce przyjmie zamówienie.',
      placed_cash_on_delivery:
        'Zapłacisz przy odbiorze. Sklep sprawdza dostępność produktów i wkrótce przyjmie zamówienie.',
      accepted:
        'Produkty są dostępne. Sklep przygotuje je do wysyłki i da Ci znać, gdy paczka zostanie nadana.',
      on_hold:
        'Realizacja czeka na Twój kontakt ze sklepem. Poniżej znajdziesz, co trzeba potwierdzić, do kiedy i jak się skontaktować.',
      preparing:
        'Sklep kompletuje i pakuje zamówienie. Gdy paczka zostanie nadana, zobaczysz tu numer przesyłki.',
      shipped: 'Paczka jest w drodze. Możesz ją śledzić na stronie przewoźnika.',
      out_for_delivery: 'Przesyłka jest w doręczeniu i powinna dotrzeć do Ciebie dzisiaj.',
      delivered:
        'Zamówienie zostało dostarczone. Jeśli chcesz coś zwrócić albo złożyć reklamację, skorzystaj z linków poniżej.',
      cancelled:
        'Zamówienie zostało anulowane. Sklep zwróci Ci zapłacone pieniądze – szczegóły znajdziesz poniżej.',
      cancelled_unpaid: 'Zamówienie zostało anulowane. Nic nie zostało zapłacone, więc nie ma czego zwracać.',
      cancelled_refunded: 'Zamówienie zostało anulowane, a pieniądze zostały Ci zwrócone.',
    },
    deliveryMethods: {
      courier: 'Kurier',
      post: 'Poczta',
      parcel_locker: 'Automat paczkowy',
      pickup_point: 'Punkt odbioru',
      store_pickup: 'Odbiór w sklepie',
    },
    deliveryLocations: {
      door: 'Pod wskazanym adresem',
      neighbour: 'U sąsiada',
      parcel_locker: 'W automacie paczkowym',
      pickup_point: 'W punkcie odbioru',
      store: 'W sklepie',
    },
    paymentMethods: {
      bank_transfer: 'Przelew tradycyjny',
      card: 'Karta płatnicza',
      blik: 'BLIK',
      online_transfer: 'Szybki przelew online',
      cash_on_delivery: 'Za pobraniem',
      other: 'Inna forma płatności',
    },
    returnStatuses: {
      requested: 'Zgłoszony – sklep czeka na przesyłkę zwrotną',
      received: 'Przesyłka zwrotna dotarła – sklep sprawdza produkty',
      refunded: 'Pieniądze zostały zwrócone',
    },
    complaintKinds: { complaint: 'Reklamacja', warranty: 'Zgłoszenie gwarancyjne' },
    complaintStatuses: { open: 'W trakcie rozpatrywania', resolved: 'Rozpatrzenie zakończone' },
    complaintOutcomes: { accepted: 'Zgłoszenie uwzględnione', rejected: 'Zgłoszenie odrzucone' },
    remedies: {
      repair: 'Naprawa',
      replacement: 'Wymiana na nowy produkt',
      price_reduction: 'Obniżenie ceny',
      refund: 'Zwrot pieniędzy',
      none: 'Brak',
    },
    channels: { email: 'E-mail', sms: 'SMS', push: 'Powiadomienie w aplikacji' },
    notificationOutcomes: {
      sending: 'W trakcie wysyłania',
      retrying: 'Ponowna próba wysłania',
      deferred: 'Zaplanowano wysyłkę',
      sent: 'Wysłano',
      delivered: 'Dostarczono',
      failed: 'Nie udało się wysłać',
      skipped: 'Nie wysłano',
      superseded: 'Nieaktualna – nie wysłano',
      bounced: 'Nie dotarła – adres odrzucił wiadomość',
      complained: 'Oznaczono jako spam',
    },
    links: {
      returns: 'Zwroty',
      complaints: 'Reklamacje',
      warranty: 'Gwarancja',
      productCare: 'Pielęgnacja i użytkowanie',
      servicePoints: 'Punkty serwisowe',
      knowledgeBase: 'Baza wiedzy',
      documentation: 'Instrukcje i dokumentacja',
    },
    plurals: {
      items: { one: '# produkt', few: '# produkty', many: '# produktów', other: '# produktu' },
      days: { one: '# dzień', few: '# dni', many: '# dni', other: '# dnia' },
    },
    page: {
      documentTitle: 'Zamówienie {orderNumber} – {shop}',
      orderHeading: 'Zamówienie {orderNumber}',
      skipToContent: 'Przejdź do treści',
      languageNav: 'Język strony',
      orderNumber: 'Numer zamówienia',
      placedOn: 'Data złożenia',
      statusHeading: 'Status zamówienia',
      since: 'od {date}',
      nextHeading: 'Co dalej?',
      holdHeading: 'Potrzebujemy Twojego potwierdzenia',
      holdReason: 'Powód wstrzymania',
      holdToConfirm: 'Do potwierdzenia',
      holdContactBy: 'Skontaktuj się ze sklepem do',
      holdDeadlineIn: 'Termin upływa za {days}.',
      holdDeadlineToday: 'Termin upływa dzisiaj.',
      holdDeadlinePassed: 'Termin już minął – skontaktuj się ze sklepem jak najszybciej.',
      holdWarning: 'Jeśli sklep nie otrzyma odpowiedzi w terminie, zamówienie może zostać anulowane.',
      paymentHeading: 'Płatność',
      paymentStatus: 'Stan płatności',
      paymentMethod: 'Forma płatności',
      payBy: 'Termin płatności',
      payOnline: 'Zapłać online',
      bankAccount: 'Numer konta',
      transferTitle: 'Tytuł przelewu',
      amountDue: 'Kwota do zapłaty',
      amountReceived: 'Wpłacono dotąd',
      amountInConfirmation: 'Kwotę do zapłaty znajdziesz w potwierdzeniu zamówienia.',
      shipmentHeading: 'Przesyłka',
      carrier: 'Przewoźnik',
      trackingNumber: 'Numer przesyłki',
      trackParcel: 'Śledź przesyłkę na stronie przewoźnika',
      expectedDelivery: 'Przewidywana dostawa',
      deliveryWindow: 'Przewidywana godzina doręczenia',
      deliveredOn: 'Data doręczenia',
      deliveredTo: 'Miejsce doręczenia',
      deliveryHeading: 'Dostawa',
      deliveryMethod: 'Sposób dostawy',
      deliveryPlace: 'Miejscowość',
      itemsHeading: 'Produkty',
      quantity: 'Liczba sztuk',
      subtotal: 'Wartość produktów',
      shipping: 'Koszt dostawy',
      discount: 'Rabat',
      total: 'Razem',
      cancellationHeading: 'Anulowanie zamówienia',
      cancelledOn: 'Data anulowania',
      cancelledBy: 'Kto anulował',
      cancellationReason: 'Powód',
      refund: 'Zwrot pieniędzy',
      refundBy: 'Pieniądze wrócą do Ciebie najpóźniej {date}.',
      refundPending: 'Sklep zwróci Ci zapłaconą kwotę.',
      refundReturned: 'Pieniądze zostały zwrócone {date}.',
      costsRetained: 'Koszty, które ponosisz',
      timelineHeading: 'Historia zamówienia',
      returnsHeading: 'Zwroty',
      returnTitle: 'Zwrot {id}',
      returnItems: 'Zwracane produkty',
      requestedOn: 'Data zgłoszenia',
      receivedOn: 'Data otrzymania przez sklep',
      refundedOn: 'Data zwrotu pieniędzy',
      complaintsHeading: 'Reklamacje i gwarancja',
      complaintTitle: '{kind} {id}',
      openedOn: 'Data zgłoszenia',
      resolvedOn: 'Data rozpatrzenia',
      decision: 'Decyzja',
      remedy: 'Sposób załatwienia',
      withdrawal: 'Odstąpienie od umowy',
      withdrawalUntil:
        'Możesz odstąpić od umowy bez podania przyczyny do {date} (14 dni od dostawy); wystarczy, że wyślesz oświadczenie przed końcem tego dnia.',
      refundDue: 'Zwrot pieniędzy',
      refundDueBy:
        'Sklep musi zwrócić Ci pieniądze najpóźniej {date} (14 dni od zgłoszenia zwrotu; może poczekać, aż otrzyma towar).',
      answerDue: 'Termin odpowiedzi',
      complaintAnswerBy:
        'Sklep musi odpowiedzieć na reklamację do {date} (14 dni od jej otrzymania). Jeśli nie odpowie w tym terminie, reklamację uważa się za uznaną.',
      notificationsHeading: 'Wiadomości wysłane do Ciebie',
      notificationsEmpty: 'Sklep nie wysłał Ci jeszcze żadnych wiadomości o tym zamówieniu.',
      notificationsEarlier: 'Wcześniejsze wiadomości ({count})',
      notificationOutcome: 'Stan',
      customerHeading: 'Twoje dane',
      customerName: 'Imię',
      customerEmail: 'E-mail',
      customerPhone: 'Telefon',
      contactHeading: 'Kontakt ze sklepem',
      contactIntro: 'Masz pytania? {shop} chętnie pomoże.',
      phone: 'Telefon',
      email: 'E-mail',
      chat: 'Czat',
      chatLink: 'Rozpocznij czat ze sklepem',
      contactForm: 'Formularz kontaktowy',
      contactFormLink: 'Napisz przez formularz',
      hours: 'Godziny pracy',
      helpHeading: 'Pomoc i obsługa posprzedażowa',
      reducedNotice:
        'To zamówienie jest zakończone, dlatego pokazujemy tylko podsumowanie. Szczegóły znajdziesz w wiadomościach od sklepu.',
      privacyNote:
        'Tę stronę może zobaczyć każdy, kto ma link z wiadomości o zamówieniu. Nie udostępniaj go innym osobom.',
      notFoundTitle: 'Nie znaleźliśmy tego zamówienia',
      notFoundText:
        'Link jest nieprawidłowy albo stracił ważność. Sprawdź, czy został skopiowany w całości, albo skontaktuj się ze sklepem, w którym zamawiasz.',
      tooManyRequestsTitle: 'Zbyt wiele zapytań',
      tooManyRequestsText: 'Odczekaj chwilę i odśwież stronę.',
      badRequestTitle: 'Nieprawidłowy adres strony',
      badRequestText: 'Adres strony zawiera błąd: {problem}',
      errorTitle: 'Coś poszło nie tak',
      errorText: 'Nie udało się wyświetlić zamówienia. Spróbuj ponownie za kilka minut.',
    },
  },
  en: {
    events: {
      'Order Placed': 'Order placed',
      'Payment Received': 'Payment received',
      'Order Accepted': 'Order accepted for fulfilment',
      'Order On Hold': 'On hold until you contact the shop',
      'Order Resumed': 'Fulfilment resumed',
      'Order Preparing': 'Being prepared for shipment',
      'Order Shipped': 'Parcel shipped',
      'Order Out For Delivery': 'Parcel out for delivery',
      'Order Delivered': 'Parcel delivered',
      'Order Cancelled': 'Order cancelled',
      'Return Requested': 'Return requested',
      'Return Received': 'Return received by the shop',
      'Refund Issued': 'Money refunded',
      'Complaint Opened': 'Complaint received',
      'Complaint Resolved': 'Complaint decided',
    },
    cancellationReasons: {
      customer_request: 'At your request',
      payment_not_received: 'The payment did not arrive in time',
      out_of_stock: 'The product is out of stock',
      no_customer_contact: 'The shop did not hear from you by the deadline',
      wrong_product_sent: 'The shop sent the wrong product',
      delivery_impossible: 'Delivery was not possible',
      fraud_suspected: 'The order did not pass verification',
      other: 'Another reason',
    },
    cancelledBy: { customer: 'You', shop: 'The shop' },
    holdReasons: {
      personalisation: 'Confirming the personalisation (such as an engraving)',
      made_to_measure: 'Confirming the measurements of a made-to-measure item',
      limited_edition: 'Confirming a limited-edition order',
      remote_delivery: 'Arranging delivery to a remote location',
      size_confirmation: 'Confirming the size',
      other: 'Some details need to be agreed',
    },
    nextSteps: {
      awaiting_placement: 'The shop has yet to confirm the order.',
      placed_awaiting_payment:
        'Please pay for the order – the payment details are below. Once the payment is booked, the shop will accept the order.',
      placed_partially_paid:
        'Part of your payment has arrived. Please pay the rest – the payment details are below. Once the whole amount is booked, the shop will accept the order.',
      placed_paid:
        'Your payment has arrived. The shop is checking that everything is in stock and will accept the order soon.',
      placed_cash_on_delivery:
        'You will pay on delivery. The shop is checking that everything is in stock and will accept the order soon.',
      accepted:
        'Everything is in stock. The shop will prepare the order for shipment and let you know when the parcel is on its way.',
      on_hold:
        'The order is waiting for you to contact the shop. Below you will find what to confirm, by when, and how to reach the shop.',
      preparing:
        'The shop is picking and packing your order. Once the parcel is shipped, its tracking number will appear here.',
      shipped: "Your parcel is on its way. You can follow it on the carrier's website.",
      out_for_delivery: 'Your parcel is out for delivery and should reach you today.',
      delivered:
        'Your order has been delivered. If you want to return something or make a complaint, use the links below.',
      cancelled: 'Your order has been cancelled. The shop will refund what you paid; the details are below.',
      cancelled_unpaid: 'Your order has been cancelled. Nothing was paid, so there is nothing to refund.',
      cancelled_refunded: 'Your order has been cancelled and your money has been refunded.',
    },
    deliveryMethods: {
      courier: 'Courier',
      post: 'Post',
      parcel_locker: 'Parcel locker',
      pickup_point: 'Pickup point',
      store_pickup: 'Collection in store',
    },
    deliveryLocations: {
      door: 'At your address',
      neighbour: 'With a neighbour',
      parcel_locker: 'In a parcel locker',
      pickup_point: 'At a pickup point',
      store: 'In the store',
    },
    paymentMethods: {
      bank_transfer: 'Bank transfer',
      card: 'Card',
      blik: 'BLIK',
      online_transfer: 'Online transfer',
      cash_on_delivery: 'Cash on delivery',
      other: 'Another payment method',
    },
    returnStatuses: {
      requested: 'Requested – the shop is waiting for the return parcel',
      received: 'Return parcel received – the shop is checking the goods',
      refunded: 'Money refunded',
    },
    complaintKinds: { complaint: 'Complaint', warranty: 'Warranty claim' },
    complaintStatuses: { open: 'Under review', resolved: 'Decided' },
    complaintOutcomes: { accepted: 'Accepted', rejected: 'Rejected' },
    remedies: {
      repair: 'Repair',
      replacement: 'Replacement with a new product',
      price_reduction: 'Price reduction',
      refund: 'Refund',
      none: 'None',
    },
    channels: { email: 'E-mail', sms: 'SMS', push: 'App notification' },
    notificationOutcomes: {
      sending: 'Being sent',
      retrying: 'Being sent again',
      deferred: 'Scheduled',
      sent: 'Sent',
      delivered: 'Delivered',
      failed: 'Could not be sent',
      skipped: 'Not sent',
      superseded: 'Out of date – not sent',
      bounced: 'Did not arrive – the address rejected it',
      complained: 'Marked as spam',
    },
    links: {
      returns: 'Returns',
      complaints: 'Complaints',
      warranty: 'Warranty',
      productCare: 'Product care and use',
      servicePoints: 'Service points',
      knowledgeBase: 'Knowledge base',
      documentation: 'Manuals and documentation',
    },
    plurals: {
      items: { one: '# item', other: '# items' },
      days: { one: '# day', other: '# days' },
    },
    page: {
      documentTitle: 'Order {orderNumber} – {shop}',
      orderHeading: 'Order {orderNumber}',
      skipToContent: 'Skip to content',
      languageNav: 'Page language',
      orderNumber: 'Order number',
      placedOn: 'Placed on',
      statusHeading: 'Order status',
      since: 'since {date}',
      nextHeading: 'What happens next',
      holdHeading: 'We need your confirmation',
      holdReason: 'Why the order is on hold',
      holdToConfirm: 'What to confirm',
      holdContactBy: 'Please contact the shop by',
      holdDeadlineIn: 'That is in {days}.',
      holdDeadlineToday: 'The deadline is today.',
      holdDeadlinePassed: 'The deadline has passed – please contact the shop as soon as you can.',
      holdWarning: 'If the shop does not hear from you in time, the order may be cancelled.',
      paymentHeading: 'Payment',
      paymentStatus: 'Payment status',
      paymentMethod: 'Payment method',
      payBy: 'Pay by',
      payOnline: 'Pay online',
      bankAccount: 'Bank account',
      transferTitle: 'Payment reference',
      amountDue: 'Amount due',
      amountReceived: 'Received so far',
      amountInConfirmation: 'You will find the amount due in your order confirmation.',
      shipmentHeading: 'Shipment',
      carrier: 'Carrier',
      trackingNumber: 'Tracking number',
      trackParcel: "Track the parcel on the carrier's website",
      expectedDelivery: 'Expected delivery',
      deliveryWindow: 'Expected delivery time',
      deliveredOn: 'Delivered on',
      deliveredTo: 'Delivered to',
      deliveryHeading: 'Delivery',
      deliveryMethod: 'Delivery method',
      deliveryPlace: 'Town',
      itemsHeading: 'Items',
      quantity: 'Quantity',
      subtotal: 'Items total',
      shipping: 'Delivery',
      discount: 'Discount',
      total: 'Total',
      cancellationHeading: 'Cancellation',
      cancelledOn: 'Cancelled on',
      cancelledBy: 'Cancelled by',
      cancellationReason: 'Reason',
      refund: 'Refund',
      refundBy: 'You will get your money back by {date} at the latest.',
      refundPending: 'The shop will refund the amount you paid.',
      refundReturned: 'Your money was refunded on {date}.',
      costsRetained: 'Costs you bear',
      timelineHeading: 'Order history',
      returnsHeading: 'Returns',
      returnTitle: 'Return {id}',
      returnItems: 'Items returned',
      requestedOn: 'Requested on',
      receivedOn: 'Received by the shop on',
      refundedOn: 'Refunded on',
      complaintsHeading: 'Complaints and warranty claims',
      complaintTitle: '{kind} {id}',
      openedOn: 'Opened on',
      resolvedOn: 'Decided on',
      decision: 'Decision',
      remedy: 'Remedy',
      withdrawal: 'Withdrawal',
      withdrawalUntil:
        'You may withdraw from the purchase without giving a reason until {date} (14 days from delivery); it is enough to send your statement before that day ends.',
      refundDue: 'Refund',
      refundDueBy:
        'The shop must refund you by {date} (14 days from your return request; it may wait until it has the goods back).',
      answerDue: 'Answer due',
      complaintAnswerBy:
        'The shop must answer your complaint by {date} (14 days from receiving it). If it does not answer by then, the complaint counts as accepted.',
      notificationsHeading: 'Messages sent to you',
      notificationsEmpty: 'The shop has not sent you any messages about this order yet.',
      notificationsEarlier: 'Earlier messages ({count})',
      notificationOutcome: 'Status',
      customerHeading: 'Your details',
      customerName: 'First name',
      customerEmail: 'E-mail',
      customerPhone: 'Phone',
      contactHeading: 'Contact the shop',
      contactIntro: 'Any questions? {shop} is happy to help.',
      phone: 'Phone',
      email: 'E-mail',
      chat: 'Chat',
      chatLink: 'Start a chat with the shop',
      contactForm: 'Contact form',
      contactFormLink: 'Write to the shop',
      hours: 'Opening hours',
      helpHeading: 'Help and after-sales service',
      reducedNotice:
        "This order is complete, so only a summary is shown. You will find the details in the shop's messages.",
      privacyNote:
        'Anyone with the link from your order messages can see this page. Please do not share it with others.',
      notFoundTitle: 'We could not find this order',
      notFoundText:
        'The link is not valid or has expired. Check that it was copied in full, or contact the shop you ordered from.',
      tooManyRequestsTitle: 'Too many requests',
      tooManyRequestsText: 'Please wait a moment and reload the page.',
      badRequestTitle: 'Something is wrong with the address',
      badRequestText: 'The page address has an error: {problem}',
      errorTitle: 'Something went wrong',
      errorText: 'We could not show the order. Please try again in a few minutes.',
    },
  },
};

/** The texts of one language. */
export const statusTexts = (language: Language): StatusTexts => STATUS_TEXTS[language];

/**
 * Fills `{name}` placeholders; a placeholder without a value is left as it is, so a test can spot it.
 * Own properties only: `{constructor}` is a placeholder without a value, not Object's constructor.
 */
export const fillText = (template: string, values: Readonly<Record<string, string>>): string =>
  template.replace(/\{([a-zA-Z]+)\}/g, (whole, name: string) =>
    Object.hasOwn(values, name) ? String(values[name]) : whole,
  );
