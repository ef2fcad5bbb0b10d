import { type DefaultTreeAdapterTypes, type ParserError, parse } from 'parse5';
import { describe, expect, it } from 'vitest';
import { messageInput, shop, TRACKING_URL, UNSUBSCRIBE_URL } from '../../../fixtures/messages.js';
import { renderEmail } from '../../../functions/domain/messages/index.js';
import { contrastRatio } from '../../../functions/domain/web/colour.js';
import { textToHtml } from '../../../functions/domain/web/html.js';
import { safeHref } from '../../../functions/domain/web/links.js';

type Element = DefaultTreeAdapterTypes.Element;
type Node = DefaultTreeAdapterTypes.Node;

/** Parses with the WHATWG algorithm browsers use, collecting every parse error. */
const parseHtml = (html: string) => {
  const errors: ParserError[] = [];
  const document = parse(html, { onParseError: (error) => errors.push(error) });
  const elements: Element[] = [];
  const texts: string[] = [];
  const walk = (node: Node) => {
    if ('tagName' in node) elements.push(node);
    if (node.nodeName === '#text' && 'value' in node) texts.push(node.value);
    if ('childNodes' in node) node.childNodes.forEach(walk);
    if (node.nodeName === 'template' && 'content' in node) walk(node.content);
  };
  walk(document);
  const attr = (element: Element, name: string) => element.attrs.find((a) => a.name === name)?.value;
  const byTag = (tag: string) => elements.filter((element) => element.tagName === tag);
  return { errors, elements, byTag, attr, text: texts.join('') };
};

const HOSTILE = '<script>alert(1)</script><img src=x "onerror=alert(2)>';

describe('Function: renderEmail (HTML structure)', () => {
  it('is a well-formed document with lang, one tracking link, alt texts and nothing to load or run', () => {
    // Prepare
    const input = messageInput('Order Shipped');

    // Act
    const { html } = renderEmail(input);
    const dom = parseHtml(html);

    // Assess
    expect(dom.errors).toEqual([]);
    expect(dom.attr(dom.byTag('html')[0] as Element, 'lang')).toBe('pl');
    const tracking = dom.byTag('a').filter((a) => dom.attr(a, 'href') === TRACKING_URL);
    expect(tracking).toHaveLength(1);
    expect(dom.byTag('a').filter((a) => dom.attr(a, 'href') === UNSUBSCRIBE_URL)).toHaveLength(1);
    const images = dom.byTag('img');
    expect(images.length).toBeGreaterThan(0);
    for (const image of images) expect(dom.attr(image, 'alt')).toBe('Sklep Pod Dębem');
    expect(dom.byTag('script')).toEqual([]);
    expect(dom.byTag('link')).toEqual([]);
    expect(dom.byTag('style')).toEqual([]);
    for (const a of dom.byTag('a')) expect(dom.attr(a, 'href')).toMatch(/^(https:\/\/|tel:|mailto:)/);
    // Layout: nested presentation tables, 600 px at most.
    expect(dom.byTag('table').every((table) => dom.attr(table, 'role') === 'presentation')).toBe(true);
    expect(html).toContain('max-width:600px');
  });

  it('shows the shop name in its brand colour when there is no logo, with readable text on it', () => {
    // Prepare
    const light = shop({ brand: { primaryColor: '#ffd400' } });
    const input = messageInput('Order Delivered', { shop: light });

    // Act
    const dom = parseHtml(renderEmail(input).html);

    // Assess
    expect(dom.byTag('img')).toEqual([]);
    const header = dom.byTag('td').find((td) => dom.attr(td, 'bgcolor') === '#ffd400');
    expect(header && dom.attr(header, 'style')).toContain('color:#000000;');
    expect(dom.text).toContain('Sklep Pod Dębem');
  });

  it.each(['#777777', '#6f6f6f', '#ffd400', '#1f4e79'])(
    'keeps the header text on brand %s at AA contrast (4.5:1)',
    (brand) => {
      // Prepare
      const input = messageInput('Order Delivered', { shop: shop({ brand: { primaryColor: brand } }) });

      // Act
      const dom = parseHtml(renderEmail(input).html);

      // Assess
      const header = dom.byTag('td').find((td) => dom.attr(td, 'bgcolor') === brand);
      const text = /;color:(#[0-9a-f]{6});$/.exec((header && dom.attr(header, 'style')) ?? '')?.[1] ?? '';
      expect(contrastRatio(brand, text)).toBeGreaterThanOrEqual(4.5);
    },
  );
});

describe('Function: renderEmail (escaping)', () => {
  it('escapes a hostile customer name, confirmation text and note', () => {
    // Prepare
    const input = (type: 'Order Placed' | 'Order On Hold' | 'Order Resumed') =>
      messageInput(type, {
        language: 'en',
        details: (details) => {
          details['Order Placed'].customer.name = `${HOSTILE} Smith`;
          details['Order On Hold'].toConfirm = `Confirm ${HOSTILE}`;
          details['Order Resumed'].note = `Note ${HOSTILE}`;
        },
      });

    // Act
    const pages = (['Order Placed', 'Order On Hold', 'Order Resumed'] as const).map(
      (type) => renderEmail(input(type)).html,
    );

    // Assess
    for (const html of pages) {
      const dom = parseHtml(html);
      expect(html).not.toContain('<script>');
      expect(html).not.toContain('"onerror=');
      expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x &quot;onerror=alert(2)&gt;');
      expect(dom.byTag('script')).toEqual([]);
      expect(dom.elements.some((element) => element.attrs.some((a) => a.name.startsWith('on')))).toBe(false);
      expect(dom.text).toContain(HOSTILE);
    }
  });

  it('escapes a hostile carrier and keeps a non-https tracking link out of href', () => {
    // Prepare
    const input = messageInput('Order Shipped', {
      details: (details) => {
        details['Order Shipped'].carrier = '<b onmouseover="x()">Kurier</b>';
      },
    });
    const unsafe = { ...input, trackingUrl: 'javascript:alert(document.cookie)' };

    // Act
    const html = renderEmail(unsafe).html;
    const dom = parseHtml(html);

    // Assess
    expect(html).toContain('&lt;b onmouseover=&quot;x()&quot;&gt;Kurier&lt;/b&gt;');
    expect(dom.byTag('b')).toEqual([]);
    expect(dom.byTag('a').map((a) => dom.attr(a, 'href'))).not.toContain('javascript:alert(document.cookie)');
  });

  it('never turns a javascript: URL of a shop override into a link, but links its https URLs', () => {
    // Prepare
    const overridden = shop({
      templates: {
        'order-delivered': {
          pl: {
            intro:
              'Kliknij javascript:alert(1) albo <a href="javascript:alert(2)">tu</a> lub https://podebem.example.pl/opinie.',
          },
        },
      },
    });

    // Act
    const html = renderEmail(messageInput('Order Delivered', { shop: overridden })).html;
    const dom = parseHtml(html);

    // Assess
    const hrefs = dom.byTag('a').map((a) => dom.attr(a, 'href') ?? '');
    expect(hrefs.some((href) => href.startsWith('javascript:'))).toBe(false);
    expect(hrefs).toContain('https://podebem.example.pl/opinie');
    expect(html).toContain('&lt;a href=&quot;javascript:alert(2)&quot;&gt;tu&lt;/a&gt;');
  });

  it('drops shop links that are not https, but keeps http://localhost for development', () => {
    // Prepare: a configuration that skipped validation
    const base = shop();
    const unchecked = {
      ...base,
      links: { returns: 'javascript:alert(1)', complaints: 'http://localhost:3000/reklamacje' },
      contact: { chatUrl: 'data:text/html,<script>alert(1)</script>' },
    };

    // Act
    const email = renderEmail(messageInput('Order Placed', { shop: unchecked }));
    const dom = parseHtml(email.html);

    // Assess
    const hrefs = dom.byTag('a').map((a) => dom.attr(a, 'href'));
    expect(hrefs).toContain('http://localhost:3000/reklamacje');
    expect(hrefs.some((href) => href?.startsWith('javascript:') || href?.startsWith('data:'))).toBe(false);
    expect(email.text).not.toContain('javascript:');
    expect(email.text).not.toContain('data:text');
  });
});

describe('Function: safeHref', () => {
  it.each([
    ['https://podebem.example.pl/zwroty', 'https://podebem.example.pl/zwroty'],
    ['http://localhost:3000/x', 'http://localhost:3000/x'],
    ['http://127.0.0.1/x', 'http://127.0.0.1/x'],
    ['http://podebem.example.pl/zwroty', undefined],
    ['javascript:alert(1)', undefined],
    [' JavaScript:alert(1)', undefined],
    ['java\tscript:alert(1)', undefined],
    ['data:text/html;base64,PHNjcmlwdD4=', undefined],
    ['vbscript:msgbox(1)', undefined],
    ['//evil.example/x', undefined],
    ['not a url', undefined],
  ])('%j -> %j', (url, expected) => {
    // Act & Assess
    expect(safeHref(url)).toBe(expected);
  });
});

describe('Function: textToHtml', () => {
  it('escapes the text, keeps line breaks and links only https URLs', () => {
    // Act
    const html = textToHtml('a <b> & "c"\nhttps://x.example/y?a=1&b=2, javascript:z', 'color:red;').value;

    // Assess
    expect(html).toBe(
      'a &lt;b&gt; &amp; &quot;c&quot;<br><a href="https://x.example/y?a=1&amp;b=2" style="color:red;">https://x.example/y?a=1&amp;b=2</a>, javascript:z',
    );
  });
});
