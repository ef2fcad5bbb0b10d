/**
 * `customer erase`: a customer's personal data out of every order of a shop, on their request
 * (functions/domain/erasure.ts says what is erased and what is kept; docs/operations.md why).
 */
import type { Command } from 'commander';
import { DynamoDbErasureStore } from '../../functions/adapters/dynamodb-erasure.js';
import { DynamoDbNotificationLog } from '../../functions/adapters/dynamodb-notification-log.js';
import { DynamoDbSuppressionList } from '../../functions/adapters/dynamodb-suppression-list.js';
import { erasurePk } from '../../functions/adapters/table-keys.js';
import { type CustomerContact, ERASURE_REASON, eraseCustomer } from '../../functions/domain/erasure.js';
import { type CommandContext, checkShopId } from '../context.js';
import { EXIT, type ExitCode, notFoundError, type Progress, usageError } from '../io.js';
import type { Action } from '../program.js';

interface EraseOptions {
  readonly email?: string;
  readonly phone?: string;
  readonly dryRun?: boolean;
  readonly yes?: boolean;
}

/** Erasure cannot be undone: a script says --yes, a person at a terminal answers y. */
const confirmErasure = async (
  context: CommandContext,
  shopId: string,
  options: EraseOptions,
): Promise<void> => {
  if (options.dryRun === true || options.yes === true) return;
  const what = options.email !== undefined ? 'e-mail address' : 'phone number';
  const question = `Erase the personal data of every order of ${shopId} held by this ${what}? This cannot be undone.`;
  if (!context.io.confirm) throw usageError('erasure cannot be undone: pass --yes to confirm (or --dry-run)');
  if (!(await context.io.confirm(question))) throw usageError('not confirmed: nothing was erased');
};

const contactOf = (options: EraseOptions): CustomerContact => {
  if ((options.email === undefined) === (options.phone === undefined)) {
    throw usageError('name the customer by exactly one of --email <address> or --phone <number>');
  }
  if (options.email !== undefined) {
    if (!/^[^\s@]+@[^\s@]+$/.test(options.email.trim())) throw usageError('--email is not an e-mail address');
    return { kind: 'email', email: options.email };
  }
  const phone = options.phone ?? '';
  if (phone.replace(/\D/g, '').length < 6) throw usageError('--phone is not a phone number');
  return { kind: 'phone', phone };
};

const erase = async (context: CommandContext, shopId: string, options: EraseOptions): Promise<ExitCode> => {
  checkShopId(shopId);
  const contact = contactOf(options);
  await confirmErasure(context, shopId, options);
  const table = context.tableName();
  const documents = context.dynamo();
  const dryRun = options.dryRun === true;
  const out = context.out;

  let ordering: Progress | undefined;
  const report = await eraseCustomer(
    {
      store: new DynamoDbErasureStore(documents, table),
      notifications: new DynamoDbNotificationLog(documents, table),
      suppressions: new DynamoDbSuppressionList(documents, table),
      clock: { now: () => new Date() },
      onOrderDone: (done, total) => {
        ordering ??= out.progress(dryRun ? 'Checking orders' : 'Erasing orders', total);
        ordering.update(done);
      },
    },
    { shopId, contact, dryRun },
  );
  ordering?.stop();

  const what = contact.kind === 'email' ? 'e-mail address' : 'phone number';
  const nothingFound = report.orders.length === 0 && !report.alreadyErased;
  if (out.json) {
    out.result({
      ...report,
      table,
      status: report.alreadyErased
        ? 'already_erased'
        : nothingFound
          ? 'not_found'
          : dryRun
            ? 'dry_run'
            : 'erased',
      recordKey: report.recordId ? { pk: erasurePk(shopId), sk: report.recordId } : null,
    });
  } else {
    out.line(
      `Found ${report.search.readItems} order(s) holding the ${what} in the contact index of table ${table} (${report.search.readCapacityUnits} read capacity units)`,
    );
    if (report.alreadyErased) {
      out.line(
        `Already erased: no order of shop ${shopId} holds this ${what}, and it is suppressed as "${ERASURE_REASON}". Nothing changed.`,
      );
    } else if (report.orders.length > 0) {
      out.line(
        dryRun
          ? `Dry run: ${report.orders.length} order(s) of shop ${shopId} hold this ${what}; nothing was changed.`
          : `Erased the customer's personal data from ${report.orders.length} order(s) of shop ${shopId}.`,
      );
      out.line();
      out.table(
        ['ORDER ID', 'ORDER NUMBER', 'RESULT', 'EVENTS', 'NOTIFICATION RECORDS', 'SUPPRESSIONS'],
        report.orders.map((order) => [
          order.orderId,
          order.orderNumber,
          order.result.replaceAll('_', ' '),
          String(order.events),
          String(order.notificationRecords),
          String(order.suppressions),
        ]),
      );
      if (report.recordId) {
        out.line();
        out.line(`Recorded as pk=${erasurePk(shopId)} sk=${report.recordId} (counts and order ids only).`);
      }
    }
  }
  if (nothingFound) {
    if (out.json) return EXIT.notFound;
    throw notFoundError(`no order of shop ${shopId} holds this ${what}`);
  }
  return EXIT.ok;
};

export const registerCustomerErase = (customer: Command, action: Action): void => {
  customer
    .command('erase')
    .description("Erase a customer's personal data from every order of a shop, on their request")
    .argument('<shopId>', 'the shop')
    .option('--email <address>', 'the customer by e-mail address (case-insensitive)')
    .option('--phone <number>', 'the customer by phone number (best in E.164: +48601234567)')
    .option('--dry-run', 'find and count only; change nothing')
    .option('--yes', 'confirm the erasure without a question (needed when not on a terminal)')
    .addHelpText(
      'after',
      `
The orders are found through the contact index (entries keyed by a SHA-256 of the shop and the canonical
address, written with every Order Placed): no scan. Give a phone number of another country than Poland
in E.164 (+49…). For each order it finds: the name, e-mail, phone, push
devices, the address beyond the country and the free texts are replaced by placeholders in the order's
events and state; the addresses in the notification log are masked; the addresses are suppressed with
reason "${ERASURE_REASON}"; the order's contact index entries are deleted; an ERASURE#<shopId> item
records the counts and order ids.
Idempotent: a second run reports "already erased". Exit 3 when no order holds the address.

Examples:
  $ order-notifications customer erase sklep-pod-debem --email zofia@example.pl --dry-run
  $ order-notifications customer erase sklep-pod-debem --phone +48601234567 --yes --json`,
    )
    .action(action((context, shopId: string, options: EraseOptions) => erase(context, shopId, options)));
};
