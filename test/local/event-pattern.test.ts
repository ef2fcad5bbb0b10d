/**
 * The EventBridge content-filtering matcher, case by case. The patterns and events follow the examples
 * of the EventBridge user guide ("Content filtering in Amazon EventBridge event patterns", "Arrays in
 * event patterns", "Null values and empty strings"), each with the events that must not match.
 */
import { describe, expect, it } from 'vitest';
import { orderEventPattern } from '../../lib/event-patterns.js';
import {
  compilePattern,
  InvalidPatternError,
  matchesPattern,
  UnsupportedPatternError,
  validatePattern,
} from '../../local/event-pattern.js';

interface Case {
  readonly name: string;
  readonly pattern: object;
  readonly matches: readonly unknown[];
  readonly misses: readonly unknown[];
}

const detail = (fields: Record<string, unknown>) => ({ source: 'shop', detail: fields });

const CASES: Record<string, readonly Case[]> = {
  'exact values': [
    {
      name: 'strings, OR across the array, AND across fields',
      pattern: { source: ['aws.ec2'], 'detail-type': ['EC2 Instance State-change Notification'] },
      matches: [{ source: 'aws.ec2', 'detail-type': 'EC2 Instance State-change Notification' }],
      misses: [
        { source: 'aws.ec2', 'detail-type': 'Other' },
        { source: 'aws.s3', 'detail-type': 'EC2 Instance State-change Notification' },
        { source: 'aws.ec2' },
      ],
    },
    {
      name: 'nested fields',
      pattern: { detail: { state: ['terminated', 'stopped'] } },
      matches: [detail({ state: 'terminated' }), detail({ state: 'stopped', other: 1 })],
      misses: [detail({ state: 'running' }), detail({ status: 'terminated' }), { state: 'terminated' }],
    },
    {
      name: 'numbers match numbers by value, never strings',
      pattern: { detail: { 'x-limit': [301.8, 300] } },
      matches: [detail({ 'x-limit': 301.8 }), detail({ 'x-limit': 3e2 })],
      misses: [detail({ 'x-limit': '300' }), detail({ 'x-limit': 301 })],
    },
    {
      name: 'booleans',
      pattern: { detail: { paid: [true] } },
      matches: [detail({ paid: true })],
      misses: [detail({ paid: false }), detail({ paid: 'true' })],
    },
    {
      name: 'null matches null, not a missing field',
      pattern: { detail: { responseElements: [null] } },
      matches: [detail({ responseElements: null })],
      misses: [detail({}), detail({ responseElements: 'null' })],
    },
    {
      name: 'the empty string matches only the empty string',
      pattern: { detail: { eventVersion: [''] } },
      matches: [detail({ eventVersion: '' })],
      misses: [detail({}), detail({ eventVersion: ' ' }), detail({ eventVersion: null })],
    },
    {
      name: 'a nested pattern against a leaf does not match',
      pattern: { detail: { state: { name: ['x'] } } },
      matches: [detail({ state: { name: 'x' } })],
      misses: [detail({ state: 'x' }), detail({ state: { name: 'y' } })],
    },
  ],
  arrays: [
    {
      name: 'an event array matches when any element matches (the EC2 resources example)',
      pattern: { resources: ['arn:aws:ec2:us-east-1:123456789012:instance/i-b188560f'] },
      matches: [
        {
          resources: [
            'arn:aws:ec2:us-east-1:123456789012:instance/i-b188560f',
            'arn:aws:ec2:us-east-1:111122223333:instance/i-b188560f',
          ],
        },
      ],
      misses: [{ resources: ['arn:aws:ec2:us-east-1:444455556666:instance/i-b188560f'] }, { resources: [] }],
    },
    {
      name: 'objects in an array: one element must match the whole nested pattern',
      pattern: { detail: { lines: { sku: ['A-1'], quantity: [2] } } },
      matches: [
        detail({
          lines: [
            { sku: 'B-2', quantity: 2 },
            { sku: 'A-1', quantity: 2 },
          ],
        }),
      ],
      misses: [
        detail({
          lines: [
            { sku: 'A-1', quantity: 1 },
            { sku: 'B-2', quantity: 2 },
          ],
        }),
        detail({ lines: [] }),
      ],
    },
    {
      name: 'operators apply to array elements too',
      pattern: { detail: { tags: [{ prefix: 'vip-' }] } },
      matches: [detail({ tags: ['new', 'vip-gold'] })],
      misses: [detail({ tags: ['new', 'gold-vip'] })],
    },
  ],
  prefix: [
    {
      name: 'prefix (the "time" example)',
      pattern: { time: [{ prefix: '2017-10-02' }] },
      matches: [{ time: '2017-10-02T18:43:48Z' }],
      misses: [{ time: '2017-10-03T18:43:48Z' }, { time: 20171002 }, {}],
    },
    {
      name: 'prefix with equals-ignore-case',
      pattern: { service: [{ prefix: { 'equals-ignore-case': 'EventB' } }] },
      matches: [{ service: 'EventBridge' }, { service: 'eventbridge' }, { service: 'EVENTBRIDGE' }],
      misses: [{ service: 'Event Bridge' }, { service: 'SNS' }],
    },
  ],
  suffix: [
    {
      name: 'suffix (the FileName example)',
      pattern: { FileName: [{ suffix: '.png' }] },
      matches: [{ FileName: 'image.png' }],
      misses: [{ FileName: 'image.PNG' }, { FileName: 'image.png.txt' }],
    },
    {
      name: 'suffix with equals-ignore-case',
      pattern: { FileName: [{ suffix: { 'equals-ignore-case': '.png' } }] },
      matches: [{ FileName: 'image.PNG' }, { FileName: 'image.png' }],
      misses: [{ FileName: 'image.jpg' }],
    },
  ],
  'anything-but': [
    {
      name: 'a string',
      pattern: { detail: { state: [{ 'anything-but': 'initializing' }] } },
      matches: [detail({ state: 'running' }), detail({ state: ['initializing', 'running'] })],
      misses: [detail({ state: 'initializing' }), detail({})],
    },
    {
      name: 'a number',
      pattern: { detail: { 'x-limit': [{ 'anything-but': 123 }] } },
      matches: [detail({ 'x-limit': 124 }), detail({ 'x-limit': '123' })],
      misses: [detail({ 'x-limit': 123 })],
    },
    {
      name: 'a list of strings',
      pattern: { detail: { state: [{ 'anything-but': ['stopped', 'overloaded'] }] } },
      matches: [detail({ state: 'running' })],
      misses: [detail({ state: 'stopped' }), detail({ state: 'overloaded' })],
    },
    {
      name: 'a list of numbers',
      pattern: { detail: { 'x-limit': [{ 'anything-but': [100, 200, 300] }] } },
      matches: [detail({ 'x-limit': 150 })],
      misses: [detail({ 'x-limit': 200 })],
    },
    {
      name: 'a prefix',
      pattern: { detail: { state: [{ 'anything-but': { prefix: 'init' } }] } },
      matches: [detail({ state: 'running' })],
      misses: [detail({ state: 'initializing' })],
    },
    {
      name: 'a suffix',
      pattern: { detail: { FileName: [{ 'anything-but': { suffix: '.txt' } }] } },
      matches: [detail({ FileName: 'notes.md' })],
      misses: [detail({ FileName: 'notes.txt' })],
    },
    {
      name: 'equals-ignore-case, one value or a list',
      pattern: {
        detail: { state: [{ 'anything-but': { 'equals-ignore-case': ['Stopped', 'OverLoaded'] } }] },
      },
      matches: [detail({ state: 'running' })],
      misses: [detail({ state: 'STOPPED' }), detail({ state: 'overloaded' })],
    },
    {
      name: 'a wildcard',
      pattern: { detail: { FilePath: [{ 'anything-but': { wildcard: '*/lib/*' } }] } },
      matches: [detail({ FilePath: '/usr/bin/env' })],
      misses: [detail({ FilePath: '/usr/lib/libc.so' })],
    },
  ],
  numeric: [
    {
      name: 'comparisons and a range (the c-count / d-count / x-limit example)',
      pattern: {
        detail: {
          'c-count': [{ numeric: ['>', 0, '<=', 5] }],
          'd-count': [{ numeric: ['<', 10] }],
          'x-limit': [{ numeric: ['=', 3.018e2] }],
        },
      },
      matches: [detail({ 'c-count': 5, 'd-count': 7, 'x-limit': 301.8 })],
      misses: [
        detail({ 'c-count': 0, 'd-count': 7, 'x-limit': 301.8 }),
        detail({ 'c-count': 6, 'd-count': 7, 'x-limit': 301.8 }),
        detail({ 'c-count': 5, 'd-count': 10, 'x-limit': 301.8 }),
        detail({ 'c-count': 5, 'd-count': 7, 'x-limit': 301 }),
        detail({ 'c-count': '5', 'd-count': 7, 'x-limit': 301.8 }),
      ],
    },
    {
      name: 'inclusive and exclusive bounds',
      pattern: { detail: { amount: [{ numeric: ['>=', 100, '<', 200] }] } },
      matches: [detail({ amount: 100 }), detail({ amount: 199.99 })],
      misses: [detail({ amount: 99.99 }), detail({ amount: 200 })],
    },
  ],
  cidr: [
    {
      name: 'IPv4',
      pattern: { detail: { sourceIPAddress: [{ cidr: '10.0.0.0/24' }] } },
      matches: [detail({ sourceIPAddress: '10.0.0.255' })],
      misses: [detail({ sourceIPAddress: '10.0.1.0' }), detail({ sourceIPAddress: 'not an ip' })],
    },
    {
      name: 'IPv6',
      pattern: { detail: { sourceIPAddress: [{ cidr: '2001:db8::/64' }] } },
      matches: [detail({ sourceIPAddress: '2001:db8::ff00:42:8329' })],
      misses: [detail({ sourceIPAddress: '2001:db9::1' }), detail({ sourceIPAddress: '10.0.0.1' })],
    },
  ],
  exists: [
    {
      name: 'exists: true',
      pattern: { detail: { 'c-count': [{ exists: true }] } },
      matches: [detail({ 'c-count': 1 }), detail({ 'c-count': null })],
      misses: [detail({}), detail({ 'c-count': { nested: 1 } }), { source: 'shop' }],
    },
    {
      name: 'exists: false, also when the parent is missing',
      pattern: { detail: { 'c-count': [{ exists: false }] } },
      matches: [detail({}), { source: 'shop' }, detail({ 'c-count': { nested: 1 } })],
      misses: [detail({ 'c-count': 1 })],
    },
    {
      name: 'a value or a missing field',
      pattern: { detail: { channel: ['sms', { exists: false }] } },
      matches: [detail({ channel: 'sms' }), detail({})],
      misses: [detail({ channel: 'email' })],
    },
  ],
  'equals-ignore-case': [
    {
      name: 'the detail-type example',
      pattern: { 'detail-type': [{ 'equals-ignore-case': 'ec2 instance state-change notification' }] },
      matches: [{ 'detail-type': 'EC2 Instance State-change Notification' }],
      misses: [{ 'detail-type': 'EC2 Instance State-change' }],
    },
  ],
  wildcard: [
    {
      name: 'the event bus ARN example',
      pattern: { EventBusArn: [{ wildcard: 'arn:aws:events:us-east-1:*:event-bus/*' }] },
      matches: [{ EventBusArn: 'arn:aws:events:us-east-1:123456789012:event-bus/orders' }],
      misses: [{ EventBusArn: 'arn:aws:events:eu-west-1:123456789012:event-bus/orders' }],
    },
    {
      name: '* matches across slashes and nothing at all; other characters are literal',
      pattern: { key: [{ wildcard: 'dir/*.png' }] },
      matches: [{ key: 'dir/a.png' }, { key: 'dir/sub/a.png' }, { key: 'dir/.png' }],
      misses: [{ key: 'dir/a.pngx' }, { key: 'dirXa.png' }, { key: 'other/a.png' }],
    },
    {
      name: 'an escaped star is a star',
      pattern: { key: [{ wildcard: 'a\\*b' }] },
      matches: [{ key: 'a*b' }],
      misses: [{ key: 'aXb' }],
    },
  ],
  $or: [
    {
      name: 'in detail (the c-count / d-count / x-limit example)',
      pattern: {
        detail: {
          $or: [
            { 'c-count': [{ numeric: ['>', 0, '<=', 5] }] },
            { 'd-count': [{ numeric: ['<', 10] }] },
            { 'x-limit': [{ numeric: ['=', 3.018e2] }] },
          ],
        },
      },
      matches: [
        detail({ 'c-count': 3 }),
        detail({ 'd-count': 1 }),
        detail({ 'x-limit': 301.8, 'c-count': 9 }),
      ],
      misses: [detail({ 'c-count': 9, 'd-count': 10 }), detail({})],
    },
    {
      name: 'at the top, together with sibling fields',
      pattern: {
        source: ['aws.cloudwatch'],
        $or: [{ 'detail-type': ['CloudWatch Alarm State Change'] }, { detail: { state: ['ALARM'] } }],
      },
      matches: [
        { source: 'aws.cloudwatch', 'detail-type': 'CloudWatch Alarm State Change' },
        { source: 'aws.cloudwatch', 'detail-type': 'Other', detail: { state: 'ALARM' } },
      ],
      misses: [
        { source: 'aws.ec2', 'detail-type': 'CloudWatch Alarm State Change' },
        { source: 'aws.cloudwatch', 'detail-type': 'Other', detail: { state: 'OK' } },
      ],
    },
  ],
};

describe('Function: matchesPattern', () => {
  for (const [operator, cases] of Object.entries(CASES)) {
    describe(operator, () => {
      it.each(cases)('$name', ({ pattern, matches, misses }) => {
        // Prepare
        const matcher = compilePattern(pattern);

        // Act
        const matched = matches.map(matcher);
        const missed = misses.map(matcher);

        // Assess
        expect(matched).toEqual(matches.map(() => true));
        expect(missed).toEqual(misses.map(() => false));
      });
    });
  }

  it('routes with the rule pattern the CDK stack deploys', () => {
    // Prepare
    const pattern = orderEventPattern('shop.platform');
    const event = { source: 'shop.platform', 'detail-type': 'Order Placed', detail: {} };

    // Act
    const results = [
      matchesPattern(pattern, event),
      matchesPattern(pattern, { ...event, source: 'other.platform' }),
      // Misspelt types reach the ingest, which dead-letters them with the known types.
      matchesPattern(pattern, { ...event, 'detail-type': 'Order Teleported' }),
    ];

    // Assess
    expect(results).toEqual([true, false, true]);
  });
});

describe('Function: validatePattern', () => {
  it.each([
    { name: 'a leaf that is not an array', pattern: { source: 'shop' }, path: 'source' },
    { name: 'an empty array', pattern: { detail: { state: [] } }, path: 'detail.state' },
    { name: 'an empty pattern', pattern: {}, path: '(root)' },
    { name: 'a pattern that is not an object', pattern: ['shop'], path: '(root)' },
    { name: 'nested arrays', pattern: { source: [['shop']] }, path: 'source' },
    { name: 'two operators in one object', pattern: { a: [{ prefix: 'x', suffix: 'y' }] }, path: 'a' },
    { name: 'exists with a string', pattern: { a: [{ exists: 'yes' }] }, path: 'a' },
    { name: 'a numeric range upside down', pattern: { a: [{ numeric: ['>', 5, '<', 1] }] }, path: 'a' },
    { name: 'a numeric operator EventBridge lacks', pattern: { a: [{ numeric: ['!=', 5] }] }, path: 'a' },
    { name: 'anything-but with a mixed list', pattern: { a: [{ 'anything-but': ['x', 1] }] }, path: 'a' },
    { name: 'consecutive wildcards', pattern: { a: [{ wildcard: 'a**b' }] }, path: 'a' },
    { name: 'a bad CIDR', pattern: { a: [{ cidr: '10.0.0.0/33' }] }, path: 'a' },
    { name: 'an empty $or', pattern: { $or: [] }, path: '$or' },
  ])('rejects $name, naming the path', ({ pattern, path }) => {
    // Act
    const attempt = () => validatePattern(pattern);

    // Assess
    expect(attempt).toThrow(InvalidPatternError);
    expect(attempt).toThrow(expect.objectContaining({ path }));
  });

  it('names an unsupported operator and where it is', () => {
    // Prepare
    const pattern = { detail: { state: ['ok', { regex: '^run' }] } };

    // Act
    const attempt = () => validatePattern(pattern);

    // Assess
    expect(attempt).toThrow(UnsupportedPatternError);
    expect(attempt).toThrow('unsupported operator "regex" in the event pattern at detail.state');
  });

  it('names an operator EventBridge does not allow inside anything-but', () => {
    // Prepare
    const pattern = { detail: { count: [{ 'anything-but': { numeric: ['>', 1] } }] } };

    // Act
    const attempt = () => validatePattern(pattern);

    // Assess
    expect(attempt).toThrow(
      'unsupported operator "numeric" inside "anything-but" in the event pattern at detail.count',
    );
  });

  it('accepts the pattern the CDK stack deploys', () => {
    // Act
    const attempt = () => validatePattern(orderEventPattern('shop.platform'));

    // Assess
    expect(attempt).not.toThrow();
  });
});
