import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { shop, TEMPLATE_CASES, templateInput, worstCaseDetails } from '../../../fixtures/messages.js';
import {
  SMS_TABLE_END,
  SMS_TABLE_START,
  smsSegmentMarkdown,
  smsSegmentRows,
  withGeneratedSmsBlocks,
} from '../../../fixtures/sms-table.js';
import { renderSms } from '../../../functions/domain/messages/index.js';
import { WORST_CASE } from '../../../functions/domain/messages/worst-case.js';

describe('SMS length with worst-case data', () => {
  const rows = smsSegmentRows();

  it('measures every template in both languages and both polishCharacters modes', () => {
    // Act: the numbers, visible in the test output
    console.table(
      rows.map(({ template, language, mode, encoding, segments, units }) => ({
        template,
        language,
        mode,
        encoding,
        segments,
        units,
      })),
    );

    // Assess
    expect(rows).toHaveLength(TEMPLATE_CASES.length * 2 * 2);
    expect(new Set(rows.map((row) => row.template)).size).toBe(TEMPLATE_CASES.length);
    for (const row of rows) {
      expect(
        row.text.startsWith(
          `${row.mode === 'keep' && row.language === 'pl' ? WORST_CASE.shopName : 'Pracownia Pod Debami'}: `,
        ),
      ).toBe(true);
      expect(row.text.endsWith(WORST_CASE.trackingUrl)).toBe(true);
    }
  });

  it('never takes more than two SMS', () => {
    // Assess
    const over = rows.filter((row) => row.segments > 2);
    expect(over.map((row) => `${row.template} ${row.language} ${row.mode}: ${row.text}`)).toEqual([]);
  });

  it('fits one GSM-7 SMS for the default SMS messages in English and transliterated Polish', () => {
    // Prepare
    const cheap = rows.filter(
      (row) => row.byDefault && (row.language === 'en' || row.mode === 'transliterate'),
    );

    // Assess
    expect(cheap).toHaveLength(5 * 3);
    for (const row of cheap) {
      expect({
        template: row.template,
        language: row.language,
        mode: row.mode,
        segments: row.segments,
      }).toEqual({
        template: row.template,
        language: row.language,
        mode: row.mode,
        segments: 1,
      });
      expect(row.encoding).toBe('GSM-7');
    }
  });

  it('is UCS-2 only for Polish texts of a shop that keeps Polish letters', () => {
    // Assess
    for (const row of rows) {
      expect(row.encoding).toBe(row.language === 'pl' && row.mode === 'keep' ? 'UCS-2' : 'GSM-7');
    }
  });

  it('stays within two SMS even for a sender name of 100 characters', () => {
    // Prepare: a shop with no senderId and a long name
    const longName = shop({
      name: `${'Pracownia Ceramiki Artystycznej '.repeat(3)}Pod Dębem`.slice(0, 100),
      sms: {},
    });

    // Act
    const measured = TEMPLATE_CASES.map((templateCase) =>
      renderSms(
        templateInput(templateCase, {
          shop: longName,
          details: worstCaseDetails,
          trackingUrl: WORST_CASE.trackingUrl,
        }),
      ),
    );

    // Assess
    expect(measured.filter((sms) => sms.segments > 2).map((sms) => sms.text)).toEqual([]);
  });

  it('stays within two SMS with the longer link the pipeline builds, sending Polish transliterated if it must', () => {
    // Prepare: base URL, /t/, a 32-character token and ?lang=pl: 76 characters
    const trackingUrl = `https://status.podebem.example.pl/t/${'Zk3hR9mQ'.repeat(4)}?lang=pl`;
    const keeps = shop({ name: WORST_CASE.shopName, sms: { polishCharacters: 'keep' } });

    // Act
    const measured = TEMPLATE_CASES.map((templateCase) =>
      renderSms(templateInput(templateCase, { shop: keeps, details: worstCaseDetails, trackingUrl })),
    );

    // Assess
    expect(trackingUrl).toHaveLength(76);
    expect(measured.filter((sms) => sms.segments > 2).map((sms) => sms.text)).toEqual([]);
    expect(measured.every((sms) => sms.text.endsWith(trackingUrl))).toBe(true);
    expect(measured.some((sms) => sms.text.startsWith('Pracownia Pod Debami: '))).toBe(true);
  });

  it('matches the tables in docs/messages.md (run `npx tsx scripts/sms-segments.ts` to update them)', () => {
    // Prepare
    const docs = readFileSync(new URL('../../../docs/messages.md', import.meta.url), 'utf8');

    // Act
    const start = docs.indexOf(SMS_TABLE_START);
    const end = docs.indexOf(SMS_TABLE_END);

    // Assess
    expect(docs.slice(start + SMS_TABLE_START.length, end).trim()).toBe(smsSegmentMarkdown(rows));
    expect(withGeneratedSmsBlocks(docs)).toBe(docs);
  });
});
