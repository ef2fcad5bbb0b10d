/**
 * EventBridge's content filtering, so the local bus routes with the very patterns the deployed rules use
 * (lib/event-patterns.ts). Pure: a pattern compiles to a function of the event.
 *
 * The semantics copied from EventBridge (aws/event-ruler):
 * - every field of a pattern must match (AND); the values in a field's array are alternatives (OR);
 * - a field matches when the event's value, or any element of an array value, matches an alternative;
 * - nested objects match nested objects; in an array of objects, one element must match the whole nested
 *   pattern (so two fields can't be satisfied by two different elements);
 * - operators only apply to leaves (strings, numbers, booleans, null); an object is not a leaf, so
 *   `exists: true` does not match it and `exists: false` does;
 * - a string never matches a number and the other way round (`"5"` is not `5`);
 * - `anything-but` needs the field to be there, and matches a value its inner test does not match;
 * - `$or` (in any object) is satisfied by any one of its sub-patterns, on top of the sibling fields.
 *
 * Malformed patterns throw InvalidPatternError, operators EventBridge does not have (or not in that
 * place) throw UnsupportedPatternError; both name the field path.
 */
import { BlockList, isIP } from 'node:net';

/** A value a pattern can test: what JSON has besides objects and arrays. */
export type LeafValue = string | number | boolean | null;

export class InvalidPatternError extends Error {
  constructor(
    readonly reason: string,
    /** Dotted path of the field in the pattern, e.g. `detail.state`; `(root)` for the pattern itself. */
    readonly path: string,
  ) {
    super(`invalid event pattern at ${path}: ${reason}`);
    this.name = 'InvalidPatternError';
  }
}

export class UnsupportedPatternError extends InvalidPatternError {
  constructor(
    readonly operator: string,
    path: string,
    /** Where the operator sits when that is what is unsupported, e.g. ` inside "anything-but"`. */
    where = '',
  ) {
    super(`unsupported operator "${operator}"${where}`, path);
    this.message = `unsupported operator "${operator}"${where} in the event pattern at ${path}`;
    this.name = 'UnsupportedPatternError';
  }
}

type ValueTest = (value: LeafValue) => boolean;
type Alternative = { readonly exists: boolean } | { readonly test: ValueTest };
type ObjectTest = (node: unknown) => boolean;

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const describe = (value: unknown): string =>
  value === null ? 'null' : Array.isArray(value) ? 'an array' : `a ${typeof value}`;

const pathOf = (path: readonly string[]): string => (path.length === 0 ? '(root)' : path.join('.'));

/** The leaves of an event value: itself, or the leaves of an array's elements; objects have none. */
const leavesOf = (value: unknown): LeafValue[] => {
  if (value === undefined || isObject(value)) return [];
  if (Array.isArray(value)) return value.flatMap(leavesOf);
  return [value as LeafValue];
};

const objectsOf = (value: unknown): Record<string, unknown>[] => {
  if (isObject(value)) return [value];
  if (Array.isArray(value)) return value.flatMap(objectsOf);
  return [];
};

const fieldOf = (node: unknown, key: string): unknown =>
  isObject(node) && Object.hasOwn(node, key) ? node[key] : undefined;

const fold = (text: string): string => text.toLowerCase();

/* ------------------------------------------------------------------------------------------------ */
/* Operators                                                                                         */
/* ------------------------------------------------------------------------------------------------ */

const requireString = (operand: unknown, operator: string, path: readonly string[]): string => {
  if (typeof operand !== 'string') {
    throw new InvalidPatternError(`"${operator}" takes a string, not ${describe(operand)}`, pathOf(path));
  }
  return operand;
};

/** `prefix` / `suffix`: a string, or `{ "equals-ignore-case": string }`. */
const affixTest = (operand: unknown, operator: 'prefix' | 'suffix', path: readonly string[]): ValueTest => {
  const has = (value: string, affix: string) =>
    operator === 'prefix' ? value.startsWith(affix) : value.endsWith(affix);
  if (isObject(operand)) {
    const keys = Object.keys(operand);
    const [inner] = keys;
    if (keys.length !== 1 || inner === undefined) {
      throw new InvalidPatternError(`"${operator}" takes a string or one operator`, pathOf(path));
    }
    if (inner !== 'equals-ignore-case') {
      throw new UnsupportedPatternError(inner, pathOf(path), ` inside "${operator}"`);
    }
    const affix = fold(requireString(operand[inner], `${operator}.equals-ignore-case`, path));
    return (value) => typeof value === 'string' && has(fold(value), affix);
  }
  const affix = requireString(operand, operator, path);
  return (value) => typeof value === 'string' && has(value, affix);
};

/** `wildcard`: `*` matches any run of characters (none too); `\*` and `\\` are a literal star and backslash. */
const wildcardTest = (operand: unknown, path: readonly string[]): ValueTest => {
  const text = requireString(operand, 'wildcard', path);
  let source = '';
  for (let i = 0; i < text.length; i += 1) {
    const character = text[i] as string;
    if (character === '\\') {
      const next = text[i + 1];
      if (next !== '*' && next !== '\\') {
        throw new InvalidPatternError(
          `"wildcard" allows only \\* and \\\\ as escapes (position ${i})`,
          pathOf(path),
        );
      }
      source += `\\${next}`;
      i += 1;
    } else if (character === '*') {
      if (text[i + 1] === '*') {
        throw new InvalidPatternError(
          `"wildcard" does not allow consecutive * (position ${i})`,
          pathOf(path),
        );
      }
      source += '.*';
    } else source += character.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  }
  const expression = new RegExp(`^${source}$`, 'su');
  return (value) => typeof value === 'string' && expression.test(value);
};

const LOWER_BOUNDS = new Set(['>', '>=']);
const UPPER_BOUNDS = new Set(['<', '<=']);
const COMPARISONS = new Set(['<', '<=', '=', '>', '>=']);

const compare = (operator: string, bound: number): ((value: number) => boolean) => {
  switch (operator) {
    case '<':
      return (value) => value < bound;
    case '<=':
      return (value) => value <= bound;
    case '>':
      return (value) => value > bound;
    case '>=':
      return (value) => value >= bound;
    default:
      return (value) => value === bound;
  }
};

/** `numeric`: `[op, n]` or a range `[">"|">=", low, "<"|"<=", high]`; JSON numbers only. */
const numericTest = (operand: unknown, path: readonly string[]): ValueTest => {
  const at = pathOf(path);
  if (!Array.isArray(operand) || (operand.length !== 2 && operand.length !== 4)) {
    throw new InvalidPatternError('"numeric" takes [operator, number] or a range of two of them', at);
  }
  const tests: Array<(value: number) => boolean> = [];
  const operators: string[] = [];
  const bounds: number[] = [];
  for (let i = 0; i < operand.length; i += 2) {
    const operator: unknown = operand[i];
    const bound: unknown = operand[i + 1];
    if (typeof operator !== 'string' || !COMPARISONS.has(operator)) {
      throw new InvalidPatternError(
        `"numeric" operator ${JSON.stringify(operator)} is not one of <, <=, =, >, >=`,
        at,
      );
    }
    if (typeof bound !== 'number' || !Number.isFinite(bound)) {
      throw new InvalidPatternError(`"numeric" ${operator} takes a number, not ${describe(bound)}`, at);
    }
    operators.push(operator);
    bounds.push(bound);
    tests.push(compare(operator, bound));
  }
  if (operators.length === 2) {
    const [lower, upper] = operators as [string, string];
    const [low, high] = bounds as [number, number];
    if (!LOWER_BOUNDS.has(lower) || !UPPER_BOUNDS.has(upper) || low >= high) {
      throw new InvalidPatternError(
        '"numeric" range must be a lower bound (> or >=) then a higher upper bound (< or <=)',
        at,
      );
    }
  }
  return (value) => typeof value === 'number' && tests.every((test) => test(value));
};

/** `cidr`: an IPv4 or IPv6 network in CIDR notation; matches address strings inside it. */
const cidrTest = (operand: unknown, path: readonly string[]): ValueTest => {
  const text = requireString(operand, 'cidr', path);
  const [network = '', prefix, ...rest] = text.split('/');
  const family = isIP(network);
  const bits = Number(prefix);
  const maxBits = family === 6 ? 128 : 32;
  if (family === 0 || rest.length > 0 || !/^\d{1,3}$/.test(prefix ?? '') || bits > maxBits) {
    throw new InvalidPatternError(
      `"cidr" ${JSON.stringify(text)} is not a network in CIDR notation`,
      pathOf(path),
    );
  }
  const type = family === 6 ? 'ipv6' : 'ipv4';
  const networks = new BlockList();
  networks.addSubnet(network, bits, type);
  return (value) => typeof value === 'string' && isIP(value) === family && networks.check(value, type);
};

const equalsTest = (expected: LeafValue): ValueTest => {
  return (value) => value === expected;
};

/** `anything-but`: a value, a list of strings or of numbers, or one of prefix/suffix/equals-ignore-case/wildcard. */
const anythingButTest = (operand: unknown, path: readonly string[]): ValueTest => {
  const at = pathOf(path);
  let inner: ValueTest;
  if (typeof operand === 'string' || (typeof operand === 'number' && Number.isFinite(operand))) {
    inner = equalsTest(operand);
  } else if (Array.isArray(operand)) {
    const allStrings = operand.every((value) => typeof value === 'string');
    const allNumbers = operand.every((value) => typeof value === 'number' && Number.isFinite(value));
    if (operand.length === 0 || !(allStrings || allNumbers)) {
      throw new InvalidPatternError(
        '"anything-but" takes a non-empty list of only strings or only numbers',
        at,
      );
    }
    const excluded = new Set<LeafValue>(operand as LeafValue[]);
    inner = (value) => excluded.has(value);
  } else if (isObject(operand)) {
    const keys = Object.keys(operand);
    const [operator] = keys;
    if (keys.length !== 1 || operator === undefined) {
      throw new InvalidPatternError('"anything-but" takes a value, a list or one operator', at);
    }
    const value = operand[operator];
    switch (operator) {
      case 'prefix':
      case 'suffix':
        inner = affixTest(requireString(value, `anything-but.${operator}`, path), operator, path);
        break;
      case 'equals-ignore-case':
      case 'wildcard': {
        const values = Array.isArray(value) ? value : [value];
        if (values.length === 0) {
          throw new InvalidPatternError(`"anything-but.${operator}" takes a string or a non-empty list`, at);
        }
        const tests = values.map((item) =>
          operator === 'wildcard'
            ? wildcardTest(item, path)
            : ignoreCaseTest(requireString(item, 'anything-but.equals-ignore-case', path)),
        );
        inner = (candidate) => tests.some((test) => test(candidate));
        break;
      }
      default:
        throw new UnsupportedPatternError(operator, at, ' inside "anything-but"');
    }
  } else {
    throw new InvalidPatternError(`"anything-but" takes strings or numbers, not ${describe(operand)}`, at);
  }
  return (value) => !inner(value);
};

const ignoreCaseTest = (expected: string): ValueTest => {
  const folded = fold(expected);
  return (value) => typeof value === 'string' && fold(value) === folded;
};

/* ------------------------------------------------------------------------------------------------ */
/* Pattern structure                                                                                 */
/* ------------------------------------------------------------------------------------------------ */

const compileAlternative = (element: unknown, path: readonly string[]): Alternative => {
  const at = pathOf(path);
  if (element === null || typeof element === 'string' || typeof element === 'boolean') {
    return { test: equalsTest(element) };
  }
  if (typeof element === 'number') {
    if (!Number.isFinite(element)) throw new InvalidPatternError('numbers must be finite', at);
    return { test: equalsTest(element) };
  }
  if (Array.isArray(element)) throw new InvalidPatternError('arrays inside arrays are not allowed', at);
  if (!isObject(element)) throw new InvalidPatternError(`${describe(element)} cannot be matched`, at);
  const keys = Object.keys(element);
  const [operator] = keys;
  if (keys.length !== 1 || operator === undefined) {
    throw new InvalidPatternError(
      `an operator object holds exactly one operator, found ${keys.length === 0 ? 'none' : keys.join(', ')}`,
      at,
    );
  }
  const operand = element[operator];
  switch (operator) {
    case 'exists':
      if (typeof operand !== 'boolean') {
        throw new InvalidPatternError(`"exists" takes true or false, not ${describe(operand)}`, at);
      }
      return { exists: operand };
    case 'prefix':
    case 'suffix':
      return { test: affixTest(operand, operator, path) };
    case 'equals-ignore-case':
      return { test: ignoreCaseTest(requireString(operand, operator, path)) };
    case 'wildcard':
      return { test: wildcardTest(operand, path) };
    case 'anything-but':
      return { test: anythingButTest(operand, path) };
    case 'numeric':
      return { test: numericTest(operand, path) };
    case 'cidr':
      return { test: cidrTest(operand, path) };
    default:
      throw new UnsupportedPatternError(operator, at);
  }
};

/** A field's array of alternatives, tested against the field's leaves. */
const compileLeaf = (alternatives: readonly unknown[], path: readonly string[]) => {
  if (alternatives.length === 0) {
    throw new InvalidPatternError('an empty array matches nothing (EventBridge rejects it)', pathOf(path));
  }
  const compiled = alternatives.map((element) => compileAlternative(element, path));
  return (leaves: readonly LeafValue[]): boolean =>
    compiled.some((alternative) =>
      'exists' in alternative
        ? leaves.length > 0 === alternative.exists
        : leaves.some((leaf) => alternative.test(leaf)),
    );
};

const compileObject = (pattern: unknown, path: readonly string[]): ObjectTest => {
  if (!isObject(pattern)) {
    throw new InvalidPatternError(`a pattern is an object, not ${describe(pattern)}`, pathOf(path));
  }
  const fields = Object.entries(pattern);
  if (fields.length === 0) throw new InvalidPatternError('a pattern needs at least one field', pathOf(path));
  const tests = fields.map(([key, value]): ObjectTest => {
    const at = [...path, key];
    if (key === '$or') {
      if (!Array.isArray(value) || value.length === 0) {
        throw new InvalidPatternError('"$or" takes a non-empty array of patterns', pathOf(at));
      }
      const alternatives = value.map((alternative, i) => compileObject(alternative, [...path, `$or[${i}]`]));
      return (node) => alternatives.some((alternative) => alternative(node));
    }
    if (Array.isArray(value)) {
      const leaf = compileLeaf(value, at);
      return (node) => leaf(leavesOf(fieldOf(node, key)));
    }
    if (isObject(value)) {
      const nested = compileObject(value, at);
      return (node) => {
        const objects = objectsOf(fieldOf(node, key));
        // No object there: only `exists: false` fields can match, as against an empty object.
        return objects.length === 0 ? nested({}) : objects.some(nested);
      };
    }
    throw new InvalidPatternError(
      `a field holds an array of values or a nested pattern, not ${describe(value)}`,
      pathOf(at),
    );
  });
  return (node) => tests.every((test) => test(node));
};

/** Checks a pattern and returns its matcher; throws InvalidPatternError / UnsupportedPatternError. */
export const compilePattern = (pattern: object): ((event: unknown) => boolean) => compileObject(pattern, []);

/** Throws early for a malformed pattern or an unsupported operator, naming the field path. */
export const validatePattern = (pattern: unknown): void => {
  compileObject(pattern, []);
};

export const matchesPattern = (pattern: object, event: unknown): boolean => compilePattern(pattern)(event);
