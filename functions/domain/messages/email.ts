/**
 * The e-mail: an HTML part that survives Gmail and Outlook (tables for layout, inline styles only, 600 px
 * at most, bulletproof buttons, no CSS or scripts to load) and an equivalent plain-text part.
 *
 * Every message has the same frame around what the writer says: the shop's name or logo on its brand
 * colour, the order number, a prominent link to the tracking page, the shop's contact options, the
 * after-sales links it configured, and a footer with the unsubscribe link. All text goes through the
 * `html` tag (escaped) and every link through `safeHref` (https only).
 */
import type { Language } from '../i18n.js';
import { brandPalette } from '../web/colour.js';
import { html, joinHtml, multiline, type SafeHtml, textToHtml } from '../web/html.js';
import { mailtoHref, safeHref, telHref } from '../web/links.js';
import { afterSalesLinks, shopContact } from './blocks.js';
import { prepareMessage } from './content.js';
import type { Block, ContactDetails, Fact, Link, MessageCopy } from './copy-model.js';
import type { MessageInput } from './message-input.js';
import { renderOverride } from './overrides.js';
import { LABELS } from './texts.js';

export interface RenderedEmail {
  readonly subject: string;
  readonly html: string;
  readonly text: string;
}

const FONT = 'Arial, Helvetica, sans-serif';
const INK = '#1f2937';
const MUTED = '#6b7280';
const PAGE = '#f3f4f6';
const PANEL = '#f9fafb';
const RULE = '#e5e7eb';

/* ------------------------------------------------------------------------------------------------ */
/* Colours                                                                                           */
/* ------------------------------------------------------------------------------------------------ */

interface Theme {
  readonly brand: string;
  /** Text on the brand colour: white or black, whichever reads better (at least 4.5:1). */
  readonly onBrand: string;
  /** Links on white: the brand colour when it is readable there, else a standard blue. */
  readonly link: string;
}

/** Links are drawn on the white body and the grey panel. */
const themeOf = (brand: string): Theme => {
  const palette = brandPalette(brand, ['#ffffff', PANEL]);
  return { brand: palette.brand, onBrand: palette.onBrand, link: palette.accent };
};

/* ------------------------------------------------------------------------------------------------ */
/* HTML                                                                                              */
/* ------------------------------------------------------------------------------------------------ */

const link = (theme: Theme, href: string | undefined, label: string): SafeHtml =>
  href
    ? html`<a href="${href}" target="_blank" style="color:${theme.link};text-decoration:underline;">${label}</a>`
    : html`${label}`;

const heading2 = (text: string): SafeHtml =>
  html`<h2 style="margin:24px 0 8px;font-family:${FONT};font-size:18px;line-height:24px;font-weight:bold;color:${INK};">${text}</h2>`;

const paragraph = (content: SafeHtml, size = 16): SafeHtml =>
  html`<p style="margin:0 0 16px;font-family:${FONT};font-size:${size}px;line-height:${size + 8}px;color:${INK};">${content}</p>`;

const button = (theme: Theme, href: string, label: string): SafeHtml =>
  html`<table role="presentation" cellpadding="0" cellspacing="0" border="0" style="margin:0 auto 16px;"><tr><td align="center" bgcolor="${theme.brand}" style="border-radius:6px;background-color:${theme.brand};"><a href="${href}" target="_blank" style="display:inline-block;padding:14px 28px;font-family:${FONT};font-size:16px;line-height:20px;font-weight:bold;color:${theme.onBrand};text-decoration:none;border-radius:6px;">${label}</a></td></tr></table>`;

const factsTable = (theme: Theme, rows: readonly Fact[]): SafeHtml =>
  html`<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="margin:0 0 16px;border-collapse:collapse;">${rows.map(
    (row) =>
      html`<tr><td width="40%" valign="top" style="padding:8px 12px 8px 0;border-top:1px solid ${RULE};font-family:${FONT};font-size:14px;line-height:20px;color:${MUTED};">${row.label}</td><td valign="top" style="padding:8px 0;border-top:1px solid ${RULE};font-family:${FONT};font-size:14px;line-height:20px;color:${INK};${row.strong ? 'font-weight:bold;' : ''}">${link(theme, safeHref(row.href), row.value)}</td></tr>`,
  )}</table>`;

const blockHtml = (theme: Theme, block: Block): SafeHtml => {
  switch (block.kind) {
    case 'paragraph':
      return paragraph(multiline(block.text));
    case 'notice':
      return html`<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="margin:0 0 16px;"><tr><td style="padding:12px 16px;background-color:${PANEL};border-left:4px solid ${theme.brand};font-family:${FONT};font-size:16px;line-height:24px;color:${INK};">${block.title ? html`<strong>${block.title}</strong><br>` : ''}${multiline(block.text)}</td></tr></table>`;
    case 'facts':
      return html`${block.title ? heading2(block.title) : ''}${factsTable(theme, block.rows)}`;
    case 'items':
      return html`${heading2(block.title)}<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="margin:0 0 8px;border-collapse:collapse;">${block.items.map(
        (item) =>
          html`<tr><td valign="top" style="padding:8px 12px 8px 0;border-top:1px solid ${RULE};font-family:${FONT};font-size:14px;line-height:20px;color:${INK};"><strong>${item.name}</strong>${item.detail ? html`<br><span style="color:${MUTED};">${item.detail}</span>` : ''}</td><td valign="top" align="right" style="padding:8px 0;border-top:1px solid ${RULE};font-family:${FONT};font-size:14px;line-height:20px;color:${INK};white-space:nowrap;">${item.quantity}</td></tr>`,
      )}</table>`;
    case 'links': {
      const links = block.links.flatMap((entry) => {
        const href = safeHref(entry.href);
        return href ? [paragraph(link(theme, href, entry.label), 14)] : [];
      });
      return links.length > 0 ? html`${block.title ? heading2(block.title) : ''}${links}` : html``;
    }
    case 'button': {
      const href = safeHref(block.href);
      return href ? button(theme, href, block.label) : html``;
    }
  }
};

/** The shop's ways to be reached; every href here is vetted: tel: and mailto: built, URLs https only. */
const contactRows = (language: Language, details: ContactDetails): Fact[] => {
  const labels = LABELS[language].frame;
  const rows: Fact[] = [];
  if (details.phone) rows.push({ label: labels.phone, value: details.phone, href: telHref(details.phone) });
  if (details.email) {
    rows.push({ label: labels.email, value: details.email, href: mailtoHref(details.email) });
  }
  const chat = safeHref(details.chatUrl);
  if (chat) rows.push({ label: labels.chat, value: labels.chatLink, href: chat });
  const form = safeHref(details.contactFormUrl);
  if (form) rows.push({ label: labels.contactForm, value: labels.contactFormLink, href: form });
  if (details.hours) rows.push({ label: labels.hours, value: details.hours });
  return rows;
};

const contactTable = (theme: Theme, rows: readonly Fact[]): SafeHtml =>
  html`<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="margin:0 0 16px;border-collapse:collapse;">${rows.map(
    (row) =>
      html`<tr><td width="40%" valign="top" style="padding:6px 12px 6px 0;font-family:${FONT};font-size:14px;line-height:20px;color:${MUTED};">${row.label}</td><td valign="top" style="padding:6px 0;font-family:${FONT};font-size:14px;line-height:20px;color:${INK};">${link(theme, row.href, row.value)}</td></tr>`,
  )}</table>`;

interface Frame {
  readonly input: MessageInput;
  readonly firstName: string;
  readonly copy: MessageCopy;
  readonly subject: string;
  readonly intro: string | undefined;
  readonly contact: { readonly title: string; readonly rows: readonly Fact[]; readonly inBody: boolean };
  readonly afterSales: readonly Link[];
}

const frameOf = (input: MessageInput): Frame => {
  const { copy, facts } = prepareMessage(input);
  const labels = LABELS[input.language].frame;
  const contact = copy.contact
    ? { title: copy.contact.title, rows: contactRows(input.language, copy.contact.details), inBody: true }
    : {
        title: labels.contactTitle,
        rows: contactRows(input.language, shopContact(input.shop, input.language)),
        inBody: false,
      };
  return {
    input,
    firstName: facts.customerFirstName,
    copy,
    subject: renderOverride(input, facts, 'subject') ?? copy.subject,
    intro: renderOverride(input, facts, 'intro'),
    contact,
    afterSales: copy.afterSalesInBody ? [] : afterSalesLinks(input.shop, input.language),
  };
};

const renderHtml = ({ input, firstName, copy, subject, intro, contact, afterSales }: Frame): string => {
  const { shop, language, event } = input;
  const labels = LABELS[language].frame;
  const theme = themeOf(shop.brand.primaryColor);
  const logo = safeHref(shop.brand.logoUrl);
  const trackingHref = safeHref(input.trackingUrl);
  const unsubscribeHref = safeHref(input.unsubscribeUrl);
  const cell = `padding:0 24px;font-family:${FONT};color:${INK};`;
  const linkStyle = `color:${theme.link};text-decoration:underline;`;
  const afterSalesLinks = afterSales.flatMap((entry) => {
    const href = safeHref(entry.href);
    return href ? [link(theme, href, entry.label)] : [];
  });
  const document = html`<!DOCTYPE html>
<html lang="${language}" dir="ltr" xmlns="http://www.w3.org/1999/xhtml">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="X-UA-Compatible" content="IE=edge">
<meta name="x-apple-disable-message-reformatting">
<meta name="format-detection" content="telephone=no, date=no, address=no, email=no">
<meta name="color-scheme" content="light">
<meta name="supported-color-schemes" content="light">
<title>${subject}</title>
</head>
<body style="margin:0;padding:0;width:100%;background-color:${PAGE};">
<div style="display:none;max-height:0;max-width:0;overflow:hidden;opacity:0;mso-hide:all;font-size:1px;line-height:1px;color:${PAGE};">${copy.preheader}</div>
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="background-color:${PAGE};">
<tr><td align="center" style="padding:24px 8px;">
<!--[if mso]><table role="presentation" width="600" align="center" cellpadding="0" cellspacing="0" border="0"><tr><td><![endif]-->
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="max-width:600px;margin:0 auto;background-color:#ffffff;">
<tr><td bgcolor="${theme.brand}" style="padding:20px 24px;background-color:${theme.brand};font-family:${FONT};font-size:22px;line-height:28px;font-weight:bold;color:${theme.onBrand};">${
    logo
      ? html`<img src="${logo}" alt="${shop.name}" width="160" style="display:block;width:160px;max-width:160px;height:auto;border:0;outline:none;text-decoration:none;color:${theme.onBrand};">`
      : html`${shop.name}`
  }</td></tr>
<tr><td style="padding:24px 24px 0;font-family:${FONT};color:${INK};">
<p style="margin:0 0 4px;font-family:${FONT};font-size:14px;line-height:20px;color:${MUTED};">${labels.order(event.orderNumber)}</p>
<h1 style="margin:0 0 16px;font-family:${FONT};font-size:24px;line-height:32px;font-weight:bold;color:${INK};">${copy.heading}</h1>
${paragraph(html`${labels.greeting(firstName)}`)}
${intro ? paragraph(textToHtml(intro, linkStyle)) : ''}
${copy.blocks.map((block) => blockHtml(theme, block))}
${contact.inBody && contact.rows.length > 0 ? html`${heading2(contact.title)}${contactTable(theme, contact.rows)}` : ''}
</td></tr>
<tr><td align="center" style="padding:16px 24px 8px;font-family:${FONT};">
${
  trackingHref
    ? button(theme, trackingHref, labels.track)
    : paragraph(html`${labels.track}: ${input.trackingUrl}`)
}
<p style="margin:0 0 16px;font-family:${FONT};font-size:13px;line-height:18px;color:${MUTED};">${labels.trackHint}</p>
</td></tr>
${
  !contact.inBody && contact.rows.length > 0
    ? html`<tr><td style="${cell}">${heading2(contact.title)}${contactTable(theme, contact.rows)}</td></tr>`
    : ''
}
${
  afterSalesLinks.length > 0
    ? html`<tr><td style="${cell}">${heading2(labels.afterSalesTitle)}<p style="margin:0 0 16px;font-family:${FONT};font-size:14px;line-height:22px;color:${INK};">${joinHtml(afterSalesLinks, html` &nbsp;·&nbsp; `)}</p></td></tr>`
    : ''
}
<tr><td style="padding:16px 24px;background-color:${PANEL};border-top:1px solid ${RULE};font-family:${FONT};font-size:12px;line-height:18px;color:${MUTED};">
<p style="margin:0 0 8px;">${labels.about(shop.name, event.orderNumber)}</p>
<p style="margin:0;">${labels.unsubscribePrompt} ${
    unsubscribeHref
      ? html`<a href="${unsubscribeHref}" target="_blank" style="color:${MUTED};text-decoration:underline;">${labels.unsubscribe}</a>`
      : html`${labels.unsubscribe}: ${input.unsubscribeUrl}`
  }</p>
</td></tr>
</table>
<!--[if mso]></td></tr></table><![endif]-->
</td></tr>
</table>
</body>
</html>
`;
  return document.value;
};

/* ------------------------------------------------------------------------------------------------ */
/* Plain text                                                                                        */
/* ------------------------------------------------------------------------------------------------ */

const factLine = (fact: Fact): string => {
  const href = safeHref(fact.href);
  return href ? `${fact.label}: ${fact.value} (${href})` : `${fact.label}: ${fact.value}`;
};

/** `label: url` for a link that passes the URL check, nothing for one that does not. */
const linkLine = (label: string, url: string | undefined): string[] => {
  const href = safeHref(url);
  return href ? [`${label}: ${href}`] : [];
};

const blockText = (block: Block): string[] => {
  switch (block.kind) {
    case 'paragraph':
      return [block.text];
    case 'notice':
      return [[block.title, block.text].filter(Boolean).join('\n')];
    case 'facts':
      return [[block.title, ...block.rows.map(factLine)].filter(Boolean).join('\n')];
    case 'items':
      return [
        [
          block.title,
          ...block.items.map(
            (item) => `- ${item.name}, ${item.quantity}${item.detail ? `\n  ${item.detail}` : ''}`,
          ),
        ].join('\n'),
      ];
    case 'links': {
      const lines = block.links.flatMap((entry) => linkLine(entry.label, entry.href));
      return lines.length > 0 ? [[block.title, ...lines].filter(Boolean).join('\n')] : [];
    }
    case 'button':
      return linkLine(block.label, block.href);
  }
};

const contactText = (rows: readonly Fact[]): string[] =>
  rows.map((row) =>
    row.href && !row.href.startsWith('tel:') && !row.href.startsWith('mailto:')
      ? `${row.label}: ${row.href}`
      : `${row.label}: ${row.value}`,
  );

const renderText = ({ input, firstName, copy, intro, contact, afterSales }: Frame): string => {
  const { shop, language, event } = input;
  const labels = LABELS[language].frame;
  const sections: string[] = [
    `${shop.name}\n${labels.order(event.orderNumber)}`,
    `${copy.heading}\n${'='.repeat(Math.min(copy.heading.length, 60))}`,
    labels.greeting(firstName),
    ...(intro ? [intro] : []),
    ...copy.blocks.flatMap(blockText),
  ];
  if (contact.inBody && contact.rows.length > 0)
    sections.push([contact.title, ...contactText(contact.rows)].join('\n'));
  sections.push(`${labels.track}:\n${input.trackingUrl}`);
  if (!contact.inBody && contact.rows.length > 0) {
    sections.push([contact.title, ...contactText(contact.rows)].join('\n'));
  }
  const links = afterSales.flatMap((entry) => linkLine(entry.label, entry.href));
  if (links.length > 0) sections.push([labels.afterSalesTitle, ...links].join('\n'));
  sections.push(
    `-- \n${labels.about(shop.name, event.orderNumber)}\n${labels.unsubscribePrompt} ${labels.unsubscribe}: ${input.unsubscribeUrl}`,
  );
  return `${sections.join('\n\n')}\n`;
};

export const renderEmail = (input: MessageInput): RenderedEmail => {
  const frame = frameOf(input);
  return { subject: frame.subject, html: renderHtml(frame), text: renderText(frame) };
};
