/**
 * The tracking page: server-rendered HTML from the order view, with no JavaScript and no third-party
 * assets. One inline stylesheet (allowed by its hash in the Content-Security-Policy) and, when the shop
 * configures one, its logo (allowed by its origin).
 *
 * Every value is escaped by escape-goat's `htmlEscape`; the `html` tag below only decides *whether* a
 * value is escaped (plain values are, fragments built by `html` are not), never *how*. URLs are also
 * checked to be https (or http on localhost) so that no `javascript:` or `data:` link can be emitted.
 *
 * Pure: the view in, the page and what the CSP must allow out.
 */
import { createHash } from 'node:crypto';
import { htmlEscape } from 'escape-goat';
import { LANGUAGES, type Language } from '../domain/i18n.js';
import type { OrderView } from '../domain/order-view.js';
import { fillText, LANGUAGE_NAMES, type PageTextKey, statusTexts } from '../domain/status-texts.js';

/** A fragment of HTML that is already safe: built by `html`, never from a plain string. */
class SafeHtml {
  constructor(readonly value: string) {}
}

type Interpolation = SafeHtml | string | number | undefined | null | false | readonly Interpolation[];

const renderValue = (value: Interpolation): string => {
  if (value instanceof SafeHtml) return value.value;
  if (Array.isArray(value)) return value.map(renderValue).join('');
  if (value === undefined || value === null || value === false) return '';
  return htmlEscape(String(value));
};

/** Tagged template: interpolated values are escaped unless they are fragments built by `html`. */
const html = (strings: TemplateStringsArray, ...values: readonly Interpolation[]): SafeHtml =>
  new SafeHtml(strings.reduce((out, text, index) => out + renderValue(values[index - 1] ?? '') + text));

/** Only web links: anything else (javascript:, data:, relative) is dropped rather than linked. */
export const safeUrl = (url: string | undefined): string | undefined => {
  if (!url) return undefined;
  try {
    const parsed = new URL(url);
    const local = parsed.protocol === 'http:' && ['localhost', '127.0.0.1'].includes(parsed.hostname);
    return parsed.protocol === 'https:' || local ? parsed.href : undefined;
  } catch {
    return undefined;
  }
};

export interface RenderedPage {
  readonly html: string;
  /** CSP source expressions for `style-src`: the hash of the inline stylesheet. */
  readonly styleSources: readonly string[];
  /** Origins `img-src` must allow (the shop's logo), empty for none. */
  readonly imageOrigins: readonly string[];
}

/* ------------------------------------------------------------------------------------------------ */
/* Colours and stylesheet                                                                            */
/* ------------------------------------------------------------------------------------------------ */

const DEFAULT_ACCENT = '#1f4e79';

const luminance = (hex: string): number => {
  const channel = (offset: number) => {
    const value = Number.parseInt(hex.slice(offset, offset + 2), 16) / 255;
    return value <= 0.03928 ? value / 12.92 : ((value + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * channel(1) + 0.7152 * channel(3) + 0.0722 * channel(5);
};

/** WCAG 2 contrast ratio of two #RRGGBB colours. */
export const contrastRatio = (a: string, b: string): number => {
  const [light, dark] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (light + 0.05) / (dark + 0.05);
};

/**
 * The brand colour is the shop's choice, so the page picks what goes with it to keep AA contrast: text on
 * the brand band is white or near-black, and links use the brand colour only if it reads on white.
 */
export const brandPalette = (brand: string): { brand: string; onBrand: string; accent: string } => {
  const colour = /^#[0-9a-fA-F]{6}$/.test(brand) ? brand.toLowerCase() : DEFAULT_ACCENT;
  // White or black: whichever contrasts more is always at least 4.58:1 (the worst case is a mid grey).
  const onBrand =
    contrastRatio(colour, '#ffffff') >= contrastRatio(colour, '#000000') ? '#ffffff' : '#000000';
  const accent = contrastRatio(colour, '#ffffff') >= 4.5 ? colour : DEFAULT_ACCENT;
  return { brand: colour, onBrand, accent };
};

const stylesheet = (brand: string): string => {
  const palette = brandPalette(brand);
  return [
    `:root{--brand:${palette.brand};--on-brand:${palette.onBrand};--accent:${palette.accent};--text:#1a1a1a;--muted:#52525b;--bg:#f4f4f2;--card:#ffffff;--line:#d4d4d0;--warn:#92400e;--warn-bg:#fff7e6}`,
    '*{box-sizing:border-box}',
    'html{-webkit-text-size-adjust:100%}',
    'body{margin:0;font:1rem/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans",sans-serif;color:var(--text);background:var(--bg)}',
    '.wrap{max-width:44rem;margin:0 auto;padding:0 1rem}',
    '.skip{position:absolute;left:-100vw}.skip:focus{left:1rem;top:.5rem;background:#fff;color:#000;padding:.5rem 1rem;z-index:1}',
    '.brand{background:var(--brand);color:var(--on-brand)}',
    '.brand .wrap{display:flex;flex-wrap:wrap;align-items:center;justify-content:space-between;gap:.5rem;padding-top:.5rem;padding-bottom:.5rem}',
    '.shop-name{margin:0;font-weight:700;font-size:1.125rem}',
    '.logo{display:block;height:40px;width:auto;max-width:12rem;background:#fff;padding:4px;border-radius:4px}',
    '.brand ul{list-style:none;margin:0;padding:0;display:flex;gap:.25rem}',
    '.brand a{display:inline-block;min-height:44px;padding:.6rem .75rem;color:var(--on-brand);border-radius:6px;border:2px solid transparent}',
    '.brand a[aria-current]{border-color:currentColor;font-weight:700;text-decoration:none}',
    'main{padding-top:.5rem;padding-bottom:1rem}',
    'h1{font-size:1.5rem;line-height:1.25;margin:1rem 0 .25rem}',
    'h2{font-size:1.125rem;line-height:1.3;margin:0 0 .5rem}',
    'h3{font-size:1rem;margin:1rem 0 .25rem}',
    'p{margin:.25rem 0}',
    'a{color:var(--accent)}',
    'a:focus-visible{outline:3px solid var(--text);outline-offset:2px}',
    '.card{background:var(--card);border:1px solid var(--line);border-radius:8px;padding:1rem;margin:1rem 0}',
    '.status{border-top:6px solid var(--brand)}',
    '.status-label{font-size:1.375rem;font-weight:700;line-height:1.3}',
    '.muted{color:var(--muted)}',
    '.action{border:2px solid var(--warn);background:var(--warn-bg)}',
    '.action h2{color:var(--warn)}',
    '.notice{border-left:6px solid var(--accent)}',
    '.button{display:inline-block;margin-top:.75rem;padding:.7rem 1rem;min-height:44px;background:var(--brand);color:var(--on-brand);border-radius:6px;font-weight:600;text-decoration:none}',
    '.button:hover{text-decoration:underline}',
    '.facts{margin:0;display:grid;gap:.5rem}',
    '.facts div{display:grid;gap:0}',
    '.facts dt{color:var(--muted);font-size:.875rem}',
    '.facts dd{margin:0;font-weight:500;overflow-wrap:anywhere}',
    '.facts.compact div{grid-template-columns:6.5rem 1fr;gap:.5rem}',
    '.facts.compact dt{font-size:.875rem;padding-top:.1rem}',
    '.plain{list-style:none;margin:0;padding:0}',
    '.plain li{padding:.5rem 0;border-top:1px solid var(--line)}',
    '.plain li:first-child{border-top:0}',
    '.timeline{list-style:none;margin:0;padding:0 0 0 1rem;border-left:3px solid var(--line)}',
    '.timeline li{position:relative;padding:0 0 .75rem .5rem}',
    '.timeline li::before{content:"";position:absolute;left:-1.55rem;top:.35rem;width:.8rem;height:.8rem;border-radius:50%;background:var(--brand);border:2px solid var(--card)}',
    '.timeline .label{display:block;font-weight:600}',
    '.timeline time,.timeline .detail{display:block;font-size:.875rem;color:var(--muted)}',
    '.mono{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;overflow-wrap:anywhere}',
    'footer{padding:0 0 2rem;color:var(--muted);font-size:.875rem}',
    '@media (min-width:36rem){h1{font-size:1.75rem}.facts div{grid-template-columns:13rem 1fr;gap:1rem}.facts dt{font-size:1rem}}',
  ].join('\n');
};

const styleHash = (css: string): string => `'sha256-${createHash('sha256').update(css).digest('base64')}'`;

/* ------------------------------------------------------------------------------------------------ */
/* Building blocks                                                                                   */
/* ------------------------------------------------------------------------------------------------ */

type Fact = readonly [label: string, value: Interpolation];

const facts = (rows: readonly Fact[], className = 'facts'): SafeHtml => {
  const present = rows.filter(([, value]) => value !== undefined && value !== '' && value !== false);
  if (present.length === 0) return html``;
  return html`<dl class="${className}">${present.map(([label, value]) => html`<div><dt>${label}</dt><dd>${value}</dd></div>`)}</dl>`;
};

const when = (at: { at: string; text: string } | undefined): Interpolation =>
  at && html`<time datetime="${at.at}">${at.text}</time>`;

const day = (at: { date: string; text: string } | undefined): Interpolation =>
  at && html`<time datetime="${at.date}">${at.text}</time>`;

const link = (url: string | undefined, text: string, className?: string): Interpolation => {
  const href = safeUrl(url);
  if (!href) return undefined;
  return className
    ? html`<a class="${className}" href="${href}">${text}</a>`
    : html`<a href="${href}">${text}</a>`;
};

const telHref = (phone: string): string => `tel:${phone.replace(/[^0-9+]/g, '')}`;

const contactFacts = (contact: OrderView['shop']['contact'], t: (key: PageTextKey) => string): SafeHtml =>
  facts([
    [t('phone'), contact.phone && html`<a href="${telHref(contact.phone)}">${contact.phone}</a>`],
    [t('email'), contact.email && html`<a href="mailto:${contact.email}">${contact.email}</a>`],
    [t('chat'), link(contact.chatUrl, t('chatLink'))],
    [t('contactForm'), link(contact.contactFormUrl, t('contactFormLink'))],
    [t('hours'), contact.hours],
  ]);

const section = (heading: string, id: string, body: Interpolation, className = 'card'): SafeHtml =>
  html`<section class="${className}" aria-labelledby="${id}"><h2 id="${id}">${heading}</h2>${body}</section>`;

const languageSwitch = (current: Language, label: string): SafeHtml =>
  html`<nav aria-label="${label}"><ul>${LANGUAGES.map((language) =>
    language === current
      ? html`<li><a href="?lang=${language}" lang="${language}" hreflang="${language}" aria-current="page">${LANGUAGE_NAMES[language]}</a></li>`
      : html`<li><a href="?lang=${language}" lang="${language}" hreflang="${language}">${LANGUAGE_NAMES[language]}</a></li>`,
  )}</ul></nav>`;

interface Layout {
  readonly language: Language;
  readonly title: string;
  readonly brandColor: string;
  readonly banner: SafeHtml;
  readonly main: SafeHtml;
  readonly footer: SafeHtml;
}

const layout = (page: Layout): { html: string; css: string } => {
  const css = stylesheet(page.brandColor);
  const t = statusTexts(page.language).page;
  const document = html`<!doctype html>
<html lang="${page.language}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex, nofollow">
<meta name="referrer" content="no-referrer">
<title>${page.title}</title>
<style>${new SafeHtml(css)}</style>
</head>
<body>
<a class="skip" href="#main">${t.skipToContent}</a>
<header class="brand"><div class="wrap">${page.banner}${languageSwitch(page.language, t.languageNav)}</div></header>
<main id="main" class="wrap">
${page.main}
</main>
<footer class="wrap">${page.footer}</footer>
</body>
</html>
`;
  return { html: document.value, css };
};

/* ------------------------------------------------------------------------------------------------ */
/* Pages                                                                                             */
/* ------------------------------------------------------------------------------------------------ */

/** The tracking page of one order. */
export const renderTrackingPage = (view: OrderView): RenderedPage => {
  const texts = statusTexts(view.language);
  const t = (key: PageTextKey) => texts.page[key];
  const logo = safeUrl(view.shop.logoUrl);
  const banner = logo
    ? html`<img class="logo" src="${logo}" alt="${view.shop.name}" height="40">`
    : html`<p class="shop-name">${view.shop.name}</p>`;

  const status = html`<section class="card status" aria-labelledby="status-heading">
<h2 id="status-heading">${t('statusHeading')}</h2>
<p class="status-label">${view.status.label}</p>
${view.status.since && html`<p class="muted">${fillText(t('since'), { date: view.status.since.text })}</p>`}
<h3>${t('nextHeading')}</h3>
<p>${view.nextStep}</p>
</section>`;

  const hold =
    view.hold &&
    section(
      t('holdHeading'),
      'hold-heading',
      html`${facts([
        [t('holdReason'), view.hold.reason.label],
        [t('holdToConfirm'), view.hold.toConfirm],
        [t('holdContactBy'), html`${when(view.hold.contactBy)}<br>${view.hold.deadline.text}`],
      ])}
<p>${t('holdWarning')}</p>
<h3>${t('contactHeading')}</h3>
${contactFacts(view.hold.contact, t)}`,
      'card action',
    );

  const instructions = view.payment?.instructions;
  const payment =
    view.payment &&
    instructions &&
    section(
      t('paymentHeading'),
      'payment-heading',
      html`${facts([
        [t('paymentStatus'), view.payment.status.label],
        [t('paymentMethod'), view.payment.method?.label],
        [t('payBy'), when(instructions.dueBy)],
        [t('amountReceived'), view.payment.received?.text],
        [t('amountDue'), instructions.amount?.text ?? t('amountInConfirmation')],
        [
          t('bankAccount'),
          instructions.bankAccount && html`<span class="mono">${instructions.bankAccount}</span>`,
        ],
        [t('transferTitle'), instructions.transferTitle],
      ])}
${link(instructions.paymentUrl, t('payOnline'), 'button')}`,
      'card action',
    );

  const shipment =
    view.shipment &&
    section(
      t('shipmentHeading'),
      'shipment-heading',
      html`${facts([
        [t('deliveryMethod'), view.shipment.method.label],
        [t('carrier'), view.shipment.carrier],
        [t('trackingNumber'), html`<span class="mono">${view.shipment.trackingNumber}</span>`],
        [t('expectedDelivery'), day(view.shipment.expectedDeliveryDate)],
        [t('deliveryWindow'), view.shipment.deliveryWindow?.text],
        [t('deliveredOn'), when(view.deliveredAt)],
        [t('deliveredTo'), view.shipment.deliveredTo?.label],
        [t('deliveryPlace'), view.delivery && `${view.delivery.postcode} ${view.delivery.city}`],
      ])}
${view.status.code === 'delivered' ? undefined : link(view.shipment.trackingUrl, t('trackParcel'), 'button')}`,
    );

  const cancellation =
    view.cancellation &&
    section(
      t('cancellationHeading'),
      'cancellation-heading',
      facts([
        [t('cancelledOn'), when(view.cancellation.at)],
        [t('cancelledBy'), view.cancellation.by.label],
        [t('cancellationReason'), view.cancellation.reason.label],
        [
          t('refund'),
          view.cancellation.refund &&
            html`${view.cancellation.refund.amount && html`<strong>${view.cancellation.refund.amount.text}</strong><br>`}${view.cancellation.refund.text}`,
        ],
        [t('costsRetained'), view.cancellation.costsRetained?.text],
      ]),
    );

  const returns =
    view.returns &&
    view.returns.length > 0 &&
    section(
      t('returnsHeading'),
      'returns-heading',
      view.returns.map(
        (entry) =>
          html`<h3>${fillText(t('returnTitle'), { id: entry.id })}</h3>${facts([
            [t('notificationOutcome'), entry.status.label],
            [t('returnItems'), entry.items],
            [t('requestedOn'), when(entry.requestedAt)],
            [t('receivedOn'), when(entry.receivedAt)],
            [t('refundedOn'), when(entry.refundedAt)],
          ])}`,
      ),
    );

  const complaints =
    view.complaints &&
    view.complaints.length > 0 &&
    section(
      t('complaintsHeading'),
      'complaints-heading',
      view.complaints.map(
        (complaint) =>
          html`<h3>${fillText(t('complaintTitle'), { kind: complaint.kind.label, id: complaint.id })}</h3>${facts(
            [
              [t('notificationOutcome'), complaint.status.label],
              [t('openedOn'), when(complaint.openedAt)],
              [t('resolvedOn'), when(complaint.resolvedAt)],
              [t('decision'), complaint.outcome?.label],
              [t('remedy'), complaint.remedy?.label],
            ],
          )}`,
      ),
    );

  const items =
    view.items &&
    section(
      t('itemsHeading'),
      'items-heading',
      html`<ul class="plain">${view.items.map(
        (item) =>
          html`<li>${item.name} <span class="muted">× ${item.quantity}</span>${item.total && html` <span class="muted">· ${item.total.text}</span>`}</li>`,
      )}</ul>${
        view.totals &&
        facts([
          [t('subtotal'), view.totals.subtotal.text],
          [t('shipping'), view.totals.shipping.text],
          [t('discount'), view.totals.discount.amount > 0 && view.totals.discount.text],
          [t('total'), html`<strong>${view.totals.total.text}</strong>`],
        ])
      }`,
    );

  // Once shipped, the shipment section says how and where the parcel goes.
  const delivery =
    view.delivery &&
    !view.shipment &&
    section(
      t('deliveryHeading'),
      'delivery-heading',
      facts([
        [t('deliveryMethod'), view.delivery.method.label],
        [t('deliveryPlace'), `${view.delivery.postcode} ${view.delivery.city}`],
      ]),
    );

  const timeline =
    view.timeline &&
    section(
      t('timelineHeading'),
      'timeline-heading',
      html`<ol class="timeline">${view.timeline.map(
        (entry) =>
          html`<li><span class="label">${entry.label}</span>${entry.detail && html`<span class="detail">${entry.detail}</span>`}${when(entry.at)}</li>`,
      )}</ol>`,
    );

  const notifications =
    view.notifications &&
    section(
      t('notificationsHeading'),
      'notifications-heading',
      view.notifications.length === 0
        ? html`<p>${t('notificationsEmpty')}</p>`
        : html`<ul class="plain">${view.notifications.map(
            (message) =>
              html`<li>${facts(
                [
                  [t('notificationAbout'), message.about.label],
                  [t('notificationChannel'), message.channel.label],
                  [t('notificationAddress'), message.address],
                  [t('notificationWhen'), when(message.at)],
                  [t('notificationOutcome'), message.outcome.label],
                ],
                'facts compact',
              )}</li>`,
          )}</ul>`,
    );

  const customer =
    view.customer &&
    section(
      t('customerHeading'),
      'customer-heading',
      facts([
        [t('customerName'), view.customer.firstName],
        [t('customerEmail'), view.customer.email],
        [t('customerPhone'), view.customer.phone],
      ]),
    );

  const contact = section(
    t('contactHeading'),
    'contact-heading',
    html`<p>${fillText(t('contactIntro'), { shop: view.shop.name })}</p>${contactFacts(view.shop.contact, t)}`,
  );

  const help =
    view.shop.links.length > 0 &&
    section(
      t('helpHeading'),
      'help-heading',
      html`<ul class="plain">${view.shop.links.map((entry) => html`<li>${link(entry.url, entry.label)}</li>`)}</ul>`,
    );

  const main = html`<h1>${fillText(t('orderHeading'), { orderNumber: view.orderNumber })}</h1>
<p class="muted">${t('placedOn')}: ${when(view.placedAt)}</p>
${view.notice && html`<p class="card notice">${view.notice}</p>`}
${status}
${hold}
${payment}
${shipment}
${cancellation}
${returns}
${complaints}
${delivery}
${items}
${timeline}
${notifications}
${customer}
${contact}
${help}`;

  const page = layout({
    language: view.language,
    title: fillText(t('documentTitle'), { orderNumber: view.orderNumber, shop: view.shop.name }),
    brandColor: view.shop.primaryColor,
    banner,
    main,
    footer: html`<p>${t('privacyNote')}</p>`,
  });
  return {
    html: page.html,
    styleSources: [styleHash(page.css)],
    imageOrigins: logo ? [new URL(logo).origin] : [],
  };
};

export type MessagePageKind = 'not_found' | 'too_many_requests' | 'bad_request' | 'error';

const MESSAGE_KEYS: Record<MessagePageKind, readonly [PageTextKey, PageTextKey]> = {
  not_found: ['notFoundTitle', 'notFoundText'],
  too_many_requests: ['tooManyRequestsTitle', 'tooManyRequestsText'],
  bad_request: ['badRequestTitle', 'badRequestText'],
  error: ['errorTitle', 'errorText'],
};

/** A page for a response without an order (not found, too many requests, bad address, error). */
export const renderMessagePage = (kind: MessagePageKind, language: Language, problem = ''): RenderedPage => {
  const texts = statusTexts(language).page;
  const [titleKey, textKey] = MESSAGE_KEYS[kind];
  const page = layout({
    language,
    title: texts[titleKey],
    brandColor: DEFAULT_ACCENT,
    banner: html`<span></span>`,
    main: html`<h1>${texts[titleKey]}</h1>
<p class="card">${fillText(texts[textKey], { problem })}</p>`,
    footer: html``,
  });
  return { html: page.html, styleSources: [styleHash(page.css)], imageOrigins: [] };
};
