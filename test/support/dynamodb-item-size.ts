/**
 * The size DynamoDB counts for an item against its 400 KB limit, by the documented rules: attribute names
 * and strings in UTF-8 bytes, numbers about one byte per two significant digits plus one, booleans and
 * nulls one byte, lists and maps 3 bytes plus 1 per element (and their keys' names in a map).
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/CapacityUnitCalculations.html
 */
const encoder = new TextEncoder();
const utf8 = (text: string): number => encoder.encode(text).length;

/** The DynamoDB item limit: 400 KB, counted in binary kilobytes. */
export const DYNAMODB_ITEM_LIMIT_BYTES = 400 * 1024;

const numberSize = (value: number): number => {
  const digits = String(Math.abs(value)).replace('.', '').replace(/^0+/, '').replace(/0+$/, '') || '0';
  return Math.ceil(digits.length / 2) + 1;
};

export const attributeValueSize = (value: unknown): number => {
  if (value === null || value === undefined || typeof value === 'boolean') return 1;
  if (typeof value === 'string') return utf8(value);
  if (typeof value === 'number') return numberSize(value);
  if (value instanceof Uint8Array) return value.length;
  if (Array.isArray(value)) {
    return 3 + value.reduce<number>((sum, element) => sum + 1 + attributeValueSize(element), 0);
  }
  if (value instanceof Set)
    return [...value].reduce<number>((sum, element) => sum + attributeValueSize(element), 0);
  const entries = Object.entries(value as Record<string, unknown>).filter(
    ([, nested]) => nested !== undefined,
  );
  return 3 + entries.reduce((sum, [key, nested]) => sum + 1 + utf8(key) + attributeValueSize(nested), 0);
};

/** An item's size: the sum of its attribute names and values. */
export const itemSize = (item: Record<string, unknown>): number =>
  Object.entries(item)
    .filter(([, value]) => value !== undefined)
    .reduce((sum, [name, value]) => sum + utf8(name) + attributeValueSize(value), 0);
