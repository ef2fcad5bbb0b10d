/**
 * DynamoDB operations and capacity per recorded event and per duplicate, item sizes, and ingest
 * throughput against the raw conditional-write rate of the same DynamoDB Local (the storage floor).
 *
 *   npm run bench:store -- [orders=200]
 *
 * Drives the production use case and adapter against DynamoDB Local; counts what the SDK sends.
 */
import { cpus, totalmem } from 'node:os';
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import {
  LIFECYCLES,
  type LifecycleName,
  lifecycleEvents,
  orderRef,
  SHOP_ID,
} from '../fixtures/order-events.js';
import { documentClient } from '../functions/adapters/aws-clients.js';
import { DynamoDbOrderRepository } from '../functions/adapters/dynamodb-order-repository.js';
import { orderTableDefinition } from '../functions/adapters/order-table.js';
import { eventSk, orderPk, STATE_SK } from '../functions/adapters/table-keys.js';
import type { OrderEvent } from '../functions/domain/order-events.js';
import { recordOrderEvent } from '../functions/domain/record-order-event.js';
import { generateTrackingToken } from '../functions/domain/tracking-token.js';
import { LOCAL_CREDENTIALS, LOCAL_REGION, startDynamoDbLocal } from '../local/dynamodb-local.js';

const orders = Number(process.argv[2] ?? 200);
const CONCURRENCY = 8;

interface Tally {
  calls: Record<string, number>;
  readUnits: number;
  writeUnits: number;
}
const newTally = (): Tally => ({ calls: {}, readUnits: 0, writeUnits: 0 });
let tally = newTally();

/** Asks DynamoDB for the capacity of every request and adds it up by command. */
const instrument = (client: DynamoDBClient) => {
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const input = args.input as Record<string, unknown>;
      input.ReturnConsumedCapacity = 'TOTAL';
      const result = await next(args);
      const name = String(context.commandName);
      tally.calls[name] = (tally.calls[name] ?? 0) + 1;
      const output = result.output as {
        ConsumedCapacity?: {
          ReadCapacityUnits?: number;
          WriteCapacityUnits?: number;
          CapacityUnits?: number;
        };
      };
      const consumed = [output.ConsumedCapacity ?? []].flat() as Array<{
        ReadCapacityUnits?: number;
        WriteCapacityUnits?: number;
        CapacityUnits?: number;
      }>;
      for (const unit of consumed) {
        const isWrite = name.startsWith('TransactWrite') || name.startsWith('Put');
        if (unit.ReadCapacityUnits !== undefined || unit.WriteCapacityUnits !== undefined) {
          tally.readUnits += unit.ReadCapacityUnits ?? 0;
          tally.writeUnits += unit.WriteCapacityUnits ?? 0;
        } else if (isWrite) tally.writeUnits += unit.CapacityUnits ?? 0;
        else tally.readUnits += unit.CapacityUnits ?? 0;
      }
      return result;
    },
    { step: 'initialize', name: 'benchCapacity' },
  );
};

/** DynamoDB's item-size rules: attribute names and values, UTF-8 strings, about one byte per 2 digits. */
const itemSize = (value: unknown): number => {
  if (value === null || value === undefined) return 1;
  if (typeof value === 'string') return Buffer.byteLength(value);
  if (typeof value === 'number') return Math.ceil(String(Math.abs(value)).replace('.', '').length / 2) + 1;
  if (typeof value === 'boolean') return 1;
  if (Array.isArray(value)) return 3 + value.reduce((sum: number, item) => sum + 1 + itemSize(item), 0);
  return (
    3 +
    Object.entries(value as Record<string, unknown>)
      .filter(([, nested]) => nested !== undefined)
      .reduce((sum, [key, nested]) => sum + 1 + Buffer.byteLength(key) + itemSize(nested), 0)
  );
};

const inPool = async <T>(items: readonly T[], work: (item: T) => Promise<unknown>): Promise<void> => {
  let next = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < items.length) {
        const item = items[next++] as T;
        await work(item);
      }
    }),
  );
};

const main = async () => {
  const dynamo = await startDynamoDbLocal();
  const client = new DynamoDBClient({
    endpoint: dynamo.endpoint,
    region: LOCAL_REGION,
    credentials: LOCAL_CREDENTIALS,
  });
  instrument(client);
  const documents = documentClient(client);
  const tableName = 'orders-bench';
  await client.send(new CreateTableCommand(orderTableDefinition(tableName)));
  const repository = new DynamoDbOrderRepository(documents, tableName);
  const deps = {
    orders: repository,
    clock: { now: () => new Date() },
    newTrackingToken: generateTrackingToken,
  };

  try {
    const names = Object.keys(LIFECYCLES) as LifecycleName[];
    // Each order's events are sent one after another (as the orders' own producers would); orders in parallel.
    const perOrder: OrderEvent[][] = Array.from({ length: orders }, (_, i) =>
      lifecycleEvents(orderRef(i + 1), names[i % names.length] as LifecycleName),
    );
    const eventCount = perOrder.reduce((sum, events) => sum + events.length, 0);

    // Baseline: one conditional PutItem per event, the cheapest durable write of the same items.
    tally = newTally();
    let started = performance.now();
    await inPool(perOrder, async (events) => {
      for (const event of events) {
        await documents.send(
          new PutCommand({
            TableName: tableName,
            Item: { pk: `BASELINE#${event.orderId}`, sk: eventSk(event.eventId), event },
            ConditionExpression: 'attribute_not_exists(pk)',
          }),
        );
      }
    });
    const baselineSeconds = (performance.now() - started) / 1000;

    tally = newTally();
    started = performance.now();
    let retries = 0;
    await inPool(perOrder, async (events) => {
      for (const event of events) retries += (await recordOrderEvent(deps, event)).attempts - 1;
    });
    const recordSeconds = (performance.now() - started) / 1000;
    const recorded = tally;

    tally = newTally();
    await inPool(perOrder, async (events) => {
      for (const event of events) await recordOrderEvent(deps, event);
    });
    const duplicates = tally;

    const sample = perOrder[1] ?? [];
    const key = { shopId: SHOP_ID, orderId: sample[0]?.orderId ?? '' };
    const state = await documents.send(
      new GetCommand({ TableName: tableName, Key: { pk: orderPk(key), sk: STATE_SK } }),
    );
    const snapshot = await repository.load(key);
    const eventSizes = (snapshot?.events ?? []).map((stored) =>
      itemSize({ ...stored, pk: orderPk(key), sk: eventSk('x') }),
    );

    const per = (value: number) => (value / eventCount).toFixed(2);
    const lines = [
      `# Store operations (${new Date().toISOString().slice(0, 10)})`,
      `machine: ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}, DynamoDB Local (in memory)`,
      `workload: ${orders} orders, ${eventCount} events over ${names.length} lifecycles, ${CONCURRENCY} orders in parallel`,
      '',
      '| per event | recorded | duplicate |',
      '| --- | --- | --- |',
      ...['QueryCommand', 'TransactWriteItemsCommand'].map(
        (name) => `| ${name} | ${per(recorded.calls[name] ?? 0)} | ${per(duplicates.calls[name] ?? 0)} |`,
      ),
      `| read capacity units | ${per(recorded.readUnits)} | ${per(duplicates.readUnits)} |`,
      `| write capacity units | ${per(recorded.writeUnits)} | ${per(duplicates.writeUnits)} |`,
      '',
      `lost races retried: ${retries} of ${eventCount} events`,
      `item sizes (${sample[0]?.orderId}, ${sample.length} events): state ${itemSize(state.Item)} B; events ${Math.min(...eventSizes)}-${Math.max(...eventSizes)} B`,
      '',
      `throughput: record ${(eventCount / recordSeconds).toFixed(0)} events/s; baseline conditional PutItem ${(eventCount / baselineSeconds).toFixed(0)} writes/s; ratio ${(baselineSeconds / recordSeconds).toFixed(2)}`,
    ];
    console.log(lines.join('\n'));
  } finally {
    client.destroy();
    await dynamo.stop();
  }
};

await main();
