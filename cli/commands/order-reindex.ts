/**
 * `order reindex`: once, after upgrading a table written before order-number claims and the contact
 * index existed (functions/adapters/dynamodb-store-reindex.ts; docs/operations.md).
 */
import type { Command } from 'commander';
import { reindexOrderTable } from '../../functions/adapters/dynamodb-store-reindex.js';
import type { CommandContext } from '../context.js';
import { EXIT, type ExitCode } from '../io.js';
import type { Action } from '../program.js';

const reindex = async (context: CommandContext): Promise<ExitCode> => {
  const table = context.tableName();
  const out = context.out;
  const scanning = out.progress('Scanning the order table (items read)', undefined);
  const report = await reindexOrderTable(context.dynamo(), table, (scanned) => scanning.update(scanned));
  scanning.stop();
  if (out.json) {
    out.result({ table, ...report });
  } else {
    out.line(
      `Read ${report.scannedItems} item(s) of table ${table} (${report.readCapacityUnits} read capacity units): ` +
        `${report.contactEntries} contact index entrie(s), ${report.claims} order-number claim(s).`,
    );
    if (report.conflicts.length > 0) {
      out.line();
      out.line('Order numbers held by two orders (the lookup finds the holder only):');
      out.table(
        ['SHOP', 'ORDER ID', 'NUMBER HELD BY'],
        report.conflicts.map((conflict) => [conflict.shopId, conflict.orderId, conflict.heldBy ?? '?']),
      );
    }
  }
  return EXIT.ok;
};

export const registerOrderReindex = (order: Command, action: Action): void => {
  order
    .command('reindex')
    .description('Once after an upgrade: write the contact index and order-number claims of existing orders')
    .addHelpText(
      'after',
      `
Scans the order partitions of the table once (cost: about 0.5 read units per 4 KB of table) and writes,
for every stored Order Placed, its contact index entries (what customer erase finds orders by), and for
every placed order, the claim of its order number (what the lookup reads). Idempotent: run it again
after an interruption. Orders recorded by this version have both already.

Example:
  $ order-notifications order reindex --json`,
    )
    .action(action((context) => reindex(context)));
};
