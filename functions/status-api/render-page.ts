/**
 * The tracking page: server-rendered HTML from the order view, with no JavaScript and no third-party
 * assets. One inline stylesheet (allowed by its hash in the Content-Security-Policy) and, when the shop
 * configures one, its logo (allowed by its origin).
 *
 * Escaping, links, contrast and the stylesheet hash are the shared web rules of functions/domain/web/:
 * every value goes through its `html` tag, every href and src through its link checks, the brand colour
 * through its palette, so this page and the e-mails cannot differ on any of them.
 *
 * Pure: the view in, the page and what the CSP must allow out.
 */
import { LANGUAGES, type Language } from '../domain/i18n.js';
import type { OrderView } from '../domain/order-view.js';
import { fillText, LANGUAGE_NAMES, type PageTextKey, statusTexts } from '../domain/status-texts.js';
import { brandPalette, DEFAULT_BRAND } from '../domain/web/colour.js';
import { styleHash } from '../domain/web/headers.js';
import { html, type Interpolation, type SafeHtml, styleElement } from '../domain/web/html.js';
import { mailtoHref, safeHref, telHref } from '../domain/web/links.js';

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

/** The light surfaces links are drawn on: cards and the warning panels. */
const LINK_SURFACES = ['#ffffff', '#f4f4f2', '#fff7e6'] as const;

const stylesheet = (brand: string): string => {
  const palette = brandPalette(brand, LINK_SURFACES);
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
    '.facts.compact{gap:.25rem}',
    '.facts.compact div{grid-template-columns:7.5rem 1fr;gap:.5rem}',
    '.facts.compact dt{font-size:.875rem;padding-top:.1rem}',
    '.plain{list-style:none;margin:0;padding:0}',
    '.plain li{padding:.5rem 0;border-top:1px solid var(--line)}',
    '.plain li:first-child{border-top:0}',
    '.timeline{list-style:none;margin:0;padding:0 0 0 1rem;border-left:3px solid var(--line)}',
    '.timeline li{position:relative;padding:0 0 .75rem .5rem}',
    '.timeline li::before{content:"";position:absolute;left:-1.55rem;top:.35rem;width:.8rem;height:.8rem;border-radius:50%;background:var(--brand);border:2px solid var(--card)}',
    '.timeline .label{font-weight:600}',
    '.timeline time{font-size:.875rem;color:var(--muted);white-space:nowrap}',
    '.timeline .detail{display:block;font-size:.875rem;color:var(--muted)}',
    '.log{list-style:none;margin:0;padding:0;font-size:.875rem}',
    '.log li{padding:.375rem 0;border-top:1px solid var(--line)}',
    '.log li:first-child{border-top:0}',
    '.log .outcome{font-weight:600}',
    '.log time{color:var(--muted);white-space:nowrap}',
    'summary{min-height:44px;padding:.6rem 0;color:var(--accent);cursor:pointer}',
    '.links{list-style:none;margin:.5rem 0 0;padding:0;display:flex;flex-wrap:wrap;gap:.25rem 1rem}',
    '.links a{display:inline-block;min-height:44px;padding:.6rem 0}',
    '.mono{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;overflow-wrap:anywhere}',
    'footer{padding:0 0 2rem;color:var(--muted);font-size:.875rem}',
    '@media (min-width:36rem){h1{font-size:1.75rem}.facts div{grid-template-columns:13rem 1fr;gap:1rem}.facts dt{font-size:1rem}.facts.compact div{grid-template-columns:9rem 1fr}}',
  ].join('\n');
};

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
  const href = safeHref(url);
  if (!href) return undefined;
  return className
    ? html`<a class="${className}" href="${href}">${text}</a>`
    : html`<a href="${href}">${text}</a>`;
};

/** A contact value as a link when the one link rule allows it, else as text. */
const contactLink = (value: string | undefined, href: string | undefined): Interpolation =>
  value && (href ? html`<a href="${href}">${value}</a>` : value);

const contactFacts = (
  contact: OrderView['shop']['contact'],
  t: (key: PageTextKey) => string,
  className = 'facts',
): SafeHtml =>
  facts(
    [
      [t('phone'), contactLink(contact.phone, telHref(contact.phone))],
      [t('email'), contactLink(contact.email, mailtoHref(contact.email))],
      [t('chat'), link(contact.chatUrl, t('chatLink'))],
      [t('contactForm'), link(contact.contactFormUrl, t('contactFormLink'))],
      [t('hours'), contact.hours],
    ],
    className,
  );

type Message = NonNullable<OrderView['notifications']>[number];

/** Messages the log shows before folding the earlier ones away (a `<details>`: no script needed). */
const LOG_VISIBLE = 5;

/** The message log, newest first, one line per message; the earlier ones folded below the newest. */
const messageLog = (messages: readonly Message[], t: (key: PageTextKey) => string): SafeHtml => {
  const newestFirst = [...messages].sort((a, b) => (a.at.at < b.at.at ? 1 : a.at.at > b.at.at ? -1 : 0));
  const line = (message: Message) =>
    html`<li><span class="outcome">${message.outcome.label}</span>: ${message.about.label} · ${message.channel.label}${message.address && html` ${message.address}`} · ${when(message.at)}</li>`;
  const shown = newestFirst.slice(0, LOG_VISIBLE);
  const folded = newestFirst.slice(LOG_VISIBLE);
  return html`<ul class="log">${shown.map(line)}</ul>${
    folded.length > 0 &&
    html`<details><summary>${fillText(t('notificationsEarlier'), { count: String(folded.length) })}</summary><ul class="log">${folded.map(line)}</ul></details>`
  }`;
};

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
${styleElement(css)}
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
  const logo = safeHref(view.shop.logoUrl);
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
        [t('withdrawal'), view.shipment.withdrawalUntil?.text],
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
            [t('refundDue'), entry.refundBy?.text],
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
              [t('answerDue'), complaint.answerBy?.text],
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
          html`<li><span class="label">${entry.label}</span> · ${when(entry.at)}${entry.detail && html`<span class="detail">${entry.detail}</span>`}</li>`,
      )}</ol>`,
    );

  const notifications =
    view.notifications &&
    section(
      t('notificationsHeading'),
      'notifications-heading',
      view.notifications.length === 0
        ? html`<p>${t('notificationsEmpty')}</p>`
        : messageLog(view.notifications, t),
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

  // What the customer may need next, right under the status and what to do: the shop's contact (unless
  // the hold panel above already gives it) and the help links the next step points to.
  const helpLinks =
    view.shop.links.length > 0 &&
    html`<ul class="links">${view.shop.links.map((entry) => html`<li>${link(entry.url, entry.label)}</li>`)}</ul>`;
  const contact = view.hold
    ? helpLinks && section(t('helpHeading'), 'help-heading', helpLinks)
    : section(
        t('contactHeading'),
        'contact-heading',
        html`<p>${fillText(t('contactIntro'), { shop: view.shop.name })}</p>${contactFacts(view.shop.contact, t, 'facts compact')}${
          helpLinks && html`<h3 id="help-heading">${t('helpHeading')}</h3>${helpLinks}`
        }`,
      );

  const main = html`<h1>${fillText(t('orderHeading'), { orderNumber: view.orderNumber })}</h1>
<p class="muted">${t('placedOn')}: ${when(view.placedAt)}</p>
${view.notice && html`<p class="card notice">${view.notice}</p>`}
${status}
${hold}
${payment}
${contact}
${shipment}
${cancellation}
${returns}
${complaints}
${delivery}
${items}
${timeline}
${notifications}
${customer}`;

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
    brandColor: DEFAULT_BRAND,
    banner: html`<span></span>`,
    main: html`<h1>${texts[titleKey]}</h1>
<p class="card">${fillText(texts[textKey], { problem })}</p>`,
    footer: html``,
  });
  return { html: page.html, styleSources: [styleHash(page.css)], imageOrigins: [] };
};
