/**
 * `shops …` against a registry table on DynamoDB Local, in-process, as an operator runs it.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lifecycleEvents, orderRef, SHOP_ID } from '../../fixtures/order-events.js';
import { createOrderTable, createShopRegistryTable, type TestTable } from '../support/dynamodb.js';
import { type CliEnv, localEnv, runCli, seed } from './harness.js';

let table: TestTable;
let dir: string;
let env: CliEnv;

const shop = (shopId: string, overrides: Record<string, unknown> = {}) => ({
  shopId,
  name: `Sklep ${shopId}`,
  statusPage: { baseUrl: `https://track.${shopId}.example.pl` },
  ...overrides,
});

let files = 0;
const file = (content: unknown): string => {
  const path = join(dir, `shop-${files++}.json`);
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
};

const cli = (...argv: string[]) => runCli(argv, env);

beforeAll(async () => {
  table = await createShopRegistryTable();
  dir = mkdtempSync(join(tmpdir(), 'shops-cli-'));
  env = localEnv({ SHOP_REGISTRY_TABLE_NAME: table.tableName, ORDER_NOTIFICATIONS_OPERATOR: 'ops-anna' });
});

afterAll(async () => {
  await table.drop();
  rmSync(dir, { recursive: true, force: true });
});

describe('Command: shops', () => {
  it('puts a shop, shows the diff of the next put, and keeps every version with who and why', async () => {
    // Act
    const created = await cli('shops', 'put', file(shop('sklep-a')), '--note', 'onboarding');
    const same = await cli('shops', 'put', file(shop('sklep-a')));
    const changed = await cli('shops', 'put', file(shop('sklep-a', { name: 'Sklep A+' })), '--by', 'ops-ben');
    const history = await cli('shops', 'history', 'sklep-a', '--json');

    // Assess
    expect(created.code).toBe(0);
    expect(created.stdout).toContain('sklep-a: new shop, version 1');
    expect(same.stdout).toContain('sklep-a: unchanged (version 1); nothing written');
    expect(changed.stdout).toContain('sklep-a: version 1 → 2');
    expect(changed.stdout).toContain('sklep-a: name: "Sklep sklep-a" → "Sklep A+"');
    expect(history.json<{ versions: unknown[] }>().versions).toEqual([
      expect.objectContaining({ version: 1, updatedBy: 'ops-anna', note: 'onboarding', changed: [] }),
      expect.objectContaining({ version: 2, updatedBy: 'ops-ben', changed: ['name'] }),
    ]);
  });

  it('refuses an invalid file naming every field, and writes nothing (exit 2)', async () => {
    const bad = file(
      shop('sklep-bad', { statusPage: { baseUrl: 'ftp://x' }, brand: { primaryColor: 'green' } }),
    );

    const result = await cli('shops', 'put', bad);
    const json = await cli('shops', 'validate', bad, '--json');

    expect(result.code).toBe(2);
    expect(result.stderr).toContain('is not a valid shop configuration');
    expect(result.stderr).toMatch(/shop\.statusPage\.baseUrl: /);
    expect(result.stderr).toMatch(/shop\.brand\.primaryColor: expected a colour as #RRGGBB/);
    expect(json.code).toBe(2);
    expect(json.json()).toMatchObject({ valid: false });
    expect((await cli('shops', 'show', 'sklep-bad')).code).toBe(3);
    expect((await cli('shops', 'put', file('{"shopId": '))).stderr).toContain('is not valid JSON');
  });

  it('diffs like diff(1) and puts with --dry-run without writing', async () => {
    await cli('shops', 'put', file(shop('sklep-d')));
    const proposal = file(shop('sklep-d', { defaultLanguage: 'en' }));

    const equal = await cli('shops', 'diff', file(shop('sklep-d')));
    const different = await cli('shops', 'diff', proposal, '--json');
    const dry = await cli('shops', 'put', proposal, '--dry-run');

    expect(equal.code).toBe(0);
    expect(different.code).toBe(1);
    expect(different.json<{ shops: unknown[] }>().shops).toEqual([
      expect.objectContaining({
        shopId: 'sklep-d',
        version: 1,
        changes: [{ path: 'defaultLanguage', before: 'pl', after: 'en' }],
      }),
    ]);
    expect(dry.stdout).toContain('dry run: nothing written');
    expect((await cli('shops', 'show', 'sklep-d', '--json')).json()).toMatchObject({
      version: 1,
      config: { defaultLanguage: 'pl' },
    });
  });

  it('rolls back by writing a new version with the old configuration', async () => {
    await cli('shops', 'put', file(shop('sklep-r')));
    await cli('shops', 'put', file(shop('sklep-r', { name: 'Zła nazwa' })));

    const result = await cli('shops', 'rollback', 'sklep-r', '--json');
    const shown = await cli('shops', 'show', 'sklep-r', '--json');

    expect(result.code).toBe(0);
    expect(result.json()).toMatchObject({ version: 3, rolledBackTo: 1, note: 'rollback to version 1' });
    expect(shown.json()).toMatchObject({ version: 3, config: { name: 'Sklep sklep-r' } });
    expect((await cli('shops', 'rollback', 'sklep-r', '--to', '3')).code).toBe(2);
  });

  it('suspends, resumes and deletes with a reason; deleted shops leave the list; a no-op writes nothing', async () => {
    await cli('shops', 'put', file(shop('sklep-s')));

    const suspended = await cli('shops', 'suspend', 'sklep-s', '--reason', 'unpaid invoice');
    const again = await cli('shops', 'suspend', 'sklep-s', '--reason', 'still unpaid');
    const noReason = await cli('shops', 'delete', 'sklep-s');
    const resumed = await cli('shops', 'resume', 'sklep-s');
    const deleted = await cli('shops', 'delete', 'sklep-s', '--reason', 'left the platform');
    const listed = await cli('shops', 'list', '--json');
    const all = await cli('shops', 'list', '--include-deleted', '--json');

    expect(suspended.stdout).toContain('sklep-s: active → suspended, version 2');
    expect(again.stdout).toContain('already suspended (version 2); nothing written');
    expect(noReason.code).toBe(2);
    expect(resumed.stdout).toContain('suspended → active, version 3');
    expect(deleted.code).toBe(0);
    const ids = (result: typeof listed) =>
      result.json<{ shops: { shopId: string }[] }>().shops.map((s) => s.shopId);
    expect(ids(listed)).not.toContain('sklep-s');
    expect(all.json<{ shops: unknown[] }>().shops).toContainEqual(
      expect.objectContaining({ shopId: 'sklep-s', state: 'deleted', version: 4, note: 'left the platform' }),
    );
  });

  it('refuses a second writer who read the same version, without losing the first one’s change', async () => {
    await cli('shops', 'put', file(shop('sklep-race')));
    const registry = (await import('../../functions/adapters/dynamodb-shop-registry.js'))
      .DynamoDbShopRegistry;
    const direct = new registry(table.documents, table.tableName);
    const read = await direct.get('sklep-race');
    if (!read) throw new Error('not created');
    // Another operator writes version 2 in between
    await cli('shops', 'put', file(shop('sklep-race', { name: 'Pierwszy' })));

    const late = direct.put({
      config: { ...read.config, name: 'Drugi' },
      state: 'active',
      updatedBy: 'x',
      expectedVersion: read.version,
    });

    await expect(late).rejects.toThrow('changed since version 1');
    expect((await cli('shops', 'show', 'sklep-race', '--json')).json()).toMatchObject({
      version: 2,
      config: { name: 'Pierwszy' },
    });
  });

  it('takes prototype-like shop ids as any other, refuses ids the contract refuses, prints pure JSON', async () => {
    const put = await cli('shops', 'put', file(shop('constructor')), '--json');
    const shown = await cli('shops', 'show', 'constructor', '--json');
    const proto = await cli('shops', 'show', '__proto__');
    const missing = await cli('shops', 'show', 'prototype');

    expect(() => JSON.parse(put.stdout)).not.toThrow();
    expect(put.json()).toMatchObject({ shops: [{ shopId: 'constructor', result: 'created', version: 1 }] });
    expect(shown.json()).toMatchObject({ shopId: 'constructor', state: 'active' });
    expect(proto.code).toBe(2);
    expect(proto.stderr).toContain('invalid shop id');
    expect(missing.code).toBe(3);
  });

  it('reports a write to a registry table that does not exist as a configuration error', async () => {
    const result = await runCli(['shops', 'put', file(shop('sklep-nowhere'))], {
      ...env,
      SHOP_REGISTRY_TABLE_NAME: 'no-such-table',
    });

    expect(result.code).toBe(2);
    expect(result.stderr).toContain('ResourceNotFoundException');
  });

  it('gives order show the tracking link of the shop as the registry holds it, unless --shops names a file', async () => {
    // Prepare: the fixtures' shop in the registry with its own status domain, and one order of it
    const orders = await createOrderTable();
    try {
      await cli(
        'shops',
        'put',
        file(shop(SHOP_ID, { statusPage: { baseUrl: 'https://track.registry.example.pl' } })),
      );
      await seed(orders, lifecycleEvents(orderRef(77), 'happyPath').slice(0, 2));
      const withTable = { ...env, ORDERS_TABLE_NAME: orders.tableName };

      // Act
      const fromRegistry = await runCli(
        ['order', 'show', SHOP_ID, orderRef(77).orderId, '--json'],
        withTable,
      );
      const fromFile = await runCli(
        ['order', 'show', SHOP_ID, orderRef(77).orderId, '--json', '--shops', 'config/shops.example.json'],
        withTable,
      );

      // Assess
      type Shown = { order: { trackingUrl: string } };
      expect(fromRegistry.json<Shown>().order.trackingUrl).toMatch(
        /^https:\/\/track\.registry\.example\.pl\/t\//,
      );
      expect(fromFile.json<Shown>().order.trackingUrl).toMatch(
        /^https:\/\/status\.podebem\.example\.pl\/t\//,
      );
    } finally {
      await orders.drop();
    }
  });

  it('refuses a sender the deployment’s SES identity does not cover, naming the shop and field, and writes nothing', async () => {
    // Prepare
    const deployed = {
      ...env,
      ORDER_NOTIFICATIONS_SES_IDENTITY: 'arn:aws:ses:eu-central-1:123456789012:identity/podebem.example.pl',
    };
    const outside = file(shop('sklep-obcy', { email: { from: 'Obcy <sklep@obcy.example.com>' } }));
    const inside = file(
      shop('sklep-swoj', { email: { from: 'Swój <zamowienia@sklep.podebem.example.pl>' } }),
    );
    const elsewhere = file(
      shop('sklep-daleko', {
        email: {
          from: 'a@daleko.example.com',
          identityArn: 'arn:aws:ses:us-east-1:123456789012:identity/daleko.example.com',
        },
      }),
    );

    // Act
    const refused = await runCli(['shops', 'put', outside], deployed);
    const validated = await runCli(['shops', 'validate', outside, '--json'], deployed);
    const otherRegion = await runCli(['shops', 'put', elsewhere], deployed);
    const accepted = await runCli(['shops', 'put', inside], deployed);
    const unchecked = await cli('shops', 'put', outside);

    // Assess
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('has a sender SES would refuse');
    expect(refused.stderr).toContain(
      "sklep-obcy: email.from: sklep@obcy.example.com is not covered by the deployment's SES identity",
    );
    expect(validated.code).toBe(2);
    expect(validated.json()).toMatchObject({
      valid: false,
      problems: [expect.stringContaining('sklep-obcy: email.from')],
    });
    expect(otherRegion.code).toBe(2);
    expect(otherRegion.stderr).toContain('sklep-daleko: email.identityArn: arn:aws:ses:us-east-1');
    expect((await runCli(['shops', 'show', 'sklep-daleko'], deployed)).code).toBe(3);
    expect(accepted.code).toBe(0);
    // Without the deployment's identity the put goes through, and says what it could not check
    expect(unchecked.code).toBe(0);
    expect(unchecked.stderr).toContain(
      "warning: the senders (email.from) of sklep-obcy were not checked against the deployment's SES identity: set ORDER_NOTIFICATIONS_SES_IDENTITY",
    );
  });

  it('says which option or variable names the registry when none does', async () => {
    const result = await runCli(['shops', 'list'], { ...env, SHOP_REGISTRY_TABLE_NAME: undefined });

    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      'no shop registry table: pass --shop-registry-table <name> or set SHOP_REGISTRY_TABLE_NAME',
    );
  });
});
