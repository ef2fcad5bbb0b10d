/**
 * `order show` in one batch call vs one process per order: seeds ORDERS orders in DynamoDB Local, then
 * times one `order-notifications order show --from-file` of all of them and SEPARATE single calls (each a
 * new process through the package's bin, as a script calling the CLI in a loop would). Both in one run.
 *   npx tsx bench/cli-batch.ts            (ORDERS=200 SEPARATE=200 by default)
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { lifecycleEvents, orderRef, SHOP_ID } from '../fixtures/order-events.js';
import { documentClient } from '../functions/adapters/aws-clients.js';
import { DynamoDbOrderRepository } from '../functions/adapters/dynamodb-order-repository.js';
import { orderTableDefinition } from '../functions/adapters/order-table.js';
import { recordOrderEvent } from '../functions/domain/record-order-event.js';
import { generateTrackingToken } from '../functions/domain/tracking-token.js';
import { LOCAL_CREDENTIALS, LOCAL_REGION, startDynamoDbLocal } from '../local/dynamodb-local.js';

const exec = promisify(execFile);
const ORDERS = Number(process.env.ORDERS ?? 200);
const SEPARATE = Number(process.env.SEPARATE ?? ORDERS);

const dynamo = await startDynamoDbLocal();
const client = new DynamoDBClient({
  endpoint: dynamo.endpoint,
  region: LOCAL_REGION,
  credentials: LOCAL_CREDENTIALS,
});
try {
  const tableName = `orders-cli-bench-${Date.now()}`;
  await client.send(new CreateTableCommand(orderTableDefinition(tableName)));
  const orders = new DynamoDbOrderRepository(documentClient(client), tableName);
  const ids: string[] = [];
  for (let n = 1; n <= ORDERS; n++) {
    const ref = orderRef(n);
    ids.push(ref.orderId);
    for (const event of lifecycleEvents(ref, 'happyPath').slice(0, 3)) {
      await recordOrderEvent(
        { orders, clock: { now: () => new Date() }, newTrackingToken: generateTrackingToken },
        event,
      );
    }
  }
  const env = {
    ...process.env,
    AWS_REGION: LOCAL_REGION,
    AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
    AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint,
    ORDERS_TABLE_NAME: tableName,
  };
  const bin = path.resolve('cli/order-notifications.mjs');
  const list = path.join(mkdtempSync(path.join(tmpdir(), 'cli-bench-')), 'ids.txt');
  writeFileSync(list, `${ids.join('\n')}\n`);

  let started = performance.now();
  const batch = await exec(process.execPath, [bin, 'order', 'show', SHOP_ID, '--from-file', list, '--json'], {
    env,
    maxBuffer: 512 * 1024 * 1024,
  });
  const batchMs = performance.now() - started;
  const found = (JSON.parse(batch.stdout) as { found: number }).found;
  if (found !== ORDERS) throw new Error(`the batch found ${found} of ${ORDERS}`);

  started = performance.now();
  for (const id of ids.slice(0, SEPARATE)) {
    const one = await exec(process.execPath, [bin, 'order', 'show', SHOP_ID, id, '--json'], { env });
    if ((JSON.parse(one.stdout) as { order: { orderId: string } }).order.orderId !== id) throw new Error(id);
  }
  const separateMs = performance.now() - started;
  const perCall = separateMs / SEPARATE;
  console.log(
    JSON.stringify({
      orders: ORDERS,
      batchMs: Math.round(batchMs),
      separateCalls: SEPARATE,
      separateMs: Math.round(separateMs),
      perSeparateCallMs: Math.round(perCall),
      ratioFor200: Number(((perCall * ORDERS) / batchMs).toFixed(1)),
    }),
  );
} finally {
  client.destroy();
  await dynamo.stop();
}
