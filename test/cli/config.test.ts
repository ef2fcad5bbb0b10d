import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { FIELD_DOCS } from '../../cli/shop-config-example.js';
import { parseShopConfigs, ShopConfigSchema } from '../../functions/domain/shop-config.js';
import { runCli, tempFile } from './harness.js';

interface JsonSchema {
  readonly properties?: Record<string, JsonSchema>;
  readonly anyOf?: readonly JsonSchema[];
}

/** Every field of the schema, as `a` and `a.b` paths (records such as `channels` have no fixed fields). */
const schemaPaths = (schema: JsonSchema, prefix = ''): string[] =>
  Object.entries(schema.properties ?? {}).flatMap(([key, nested]) => {
    const path = prefix ? `${prefix}.${key}` : key;
    const object = nested.properties ? nested : nested.anyOf?.find((option) => option.properties);
    return [path, ...(object ? schemaPaths(object, path) : [])];
  });

const valuePaths = (value: unknown, prefix = ''): string[] =>
  typeof value === 'object' && value !== null && !Array.isArray(value)
    ? Object.entries(value).flatMap(([key, nested]) => {
        const path = prefix ? `${prefix}.${key}` : key;
        return [path, ...valuePaths(nested, path)];
      })
    : [];

describe('Command: config validate', () => {
  it('accepts a valid file and summarises its shops', async () => {
    // Act
    const result = await runCli(['config', 'validate', 'config/shops.example.json'], {});

    // Assess
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/shops\.example\.json: valid, 1 shop\(s\)/);
    expect(result.stdout).toMatch(
      /^sklep-pod-debem +Sklep Pod Dębem +pl +Sklep Pod Dębem <zamowienia@podebem\.example\.pl>/m,
    );
  });

  it('lists every problem with its path and exits 2', async () => {
    // Prepare
    const file = tempFile(
      'shops.json',
      JSON.stringify([
        { shopId: 'Sklep', name: 'Sklep', statusPage: { baseUrl: 'http://status.example.pl' } },
        {
          shopId: 'ok',
          name: '',
          statusPage: { baseUrl: 'https://status.example.pl' },
          quietHours: { start: '25:00', end: '08:00' },
        },
      ]),
    );

    // Act
    const human = await runCli(['config', 'validate', file], {});
    const json = await runCli(['config', 'validate', file, '--json'], {});

    // Assess
    expect(human.code).toBe(2);
    expect(human.stderr).toContain(`error: the shops file ${file} is not a valid configuration`);
    expect(json.code).toBe(2);
    expect(json.json<{ valid: boolean; problems: string[] }>()).toEqual({
      file,
      valid: false,
      message: `the shops file ${file} is not a valid configuration`,
      problems: [
        'shops[0].shopId: use lower-case letters, digits and - only',
        'shops[0].statusPage.baseUrl: expected an https:// URL (http:// only for localhost)',
        'shops[1].name: Too small: expected string to have >=1 characters',
        'shops[1].quietHours.start: expected a time as HH:MM (24-hour clock)',
      ],
    });
    for (const problem of json.json<{ problems: string[] }>().problems)
      expect(human.stderr).toContain(problem);
  });

  it('exits 2 for a file that is not JSON, or not there', async () => {
    // Prepare
    const file = tempFile('shops.json', '[{ "shopId": ');

    // Act
    const notJson = await runCli(['config', 'validate', file], {});
    const missing = await runCli(['config', 'validate', `${file}.missing`], {});

    // Assess
    expect(notJson.code).toBe(2);
    expect(notJson.stderr).toContain('is not valid JSON');
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('ENOENT');
  });
});

describe('Command: config example', () => {
  it('prints a complete, valid configuration as JSON: every field of the schema is set', async () => {
    // Act
    const result = await runCli(['config', 'example', '--json'], {});

    // Assess
    expect(result.code).toBe(0);
    const shops = result.json<unknown[]>();
    expect(() => parseShopConfigs(shops)).not.toThrow();
    const fields = schemaPaths(
      z.toJSONSchema(ShopConfigSchema, { io: 'input', unrepresentable: 'any' }) as JsonSchema,
    );
    expect(fields.length).toBeGreaterThan(30);
    expect(fields.filter((field) => !valuePaths(shops[0]).includes(field))).toEqual([]);
  });

  it('documents every field in the annotated version, which is the same configuration', async () => {
    // Act
    const annotated = await runCli(['config', 'example'], {});
    const plain = await runCli(['config', 'example', '--json'], {});

    // Assess
    expect(annotated.code).toBe(0);
    const withoutComments = annotated.stdout
      .split('\n')
      .filter((line) => !line.trim().startsWith('//'))
      .join('\n');
    expect(JSON.parse(withoutComments)).toEqual(plain.json());
    const fields = schemaPaths(
      z.toJSONSchema(ShopConfigSchema, { io: 'input', unrepresentable: 'any' }) as JsonSchema,
    );
    const undocumented = fields.filter((field) => !field.startsWith('contact.hours.') && !FIELD_DOCS[field]);
    expect(undocumented).toEqual([]);
    expect(annotated.stdout).toContain('    // Required. Public base URL of the tracking page');
  });
});
