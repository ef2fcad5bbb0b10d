import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { clientBucket } from '../../functions/status-api/client-address.js';

const hextet = fc.integer({ min: 0, max: 0xffff }).map((value) => value.toString(16));
const ipv4 = fc
  .tuple(...Array.from({ length: 4 }, () => fc.integer({ min: 0, max: 255 })))
  .map((parts) => parts.join('.'));

/** One IPv6 address written any of the ways a client or proxy may write it. */
const spellings = (groups: readonly string[]): string[] => {
  const full = groups.map((group) => group.padStart(4, '0')).join(':');
  const short = groups.join(':');
  const zeroRun = groups.join(':').replace(/(^|:)0(:0)+(:|$)/, '::');
  return [full, full.toUpperCase(), short, zeroRun, `[${short}]`];
};

describe('Function: clientBucket', () => {
  it('gives every address of one /64 the same client, however it is written', () => {
    fc.assert(
      fc.property(
        fc.array(hextet, { minLength: 4, maxLength: 4 }),
        fc.array(fc.array(hextet, { minLength: 4, maxLength: 4 }), { minLength: 1, maxLength: 5 }),
        (prefix, interfaces) => {
          // Act
          const buckets = interfaces.flatMap((suffix) => spellings([...prefix, ...suffix]).map(clientBucket));

          // Assess
          expect(new Set(buckets).size).toBe(1);
          expect(buckets[0]).toMatch(/^v6:[0-9a-f]{1,4}(:[0-9a-f]{1,4}){3}::\/64$/);
        },
      ),
    );
  });

  it('tells different /64s apart', () => {
    fc.assert(
      fc.property(
        fc.array(hextet, { minLength: 8, maxLength: 8 }),
        fc.integer({ min: 0, max: 3 }),
        fc.integer({ min: 1, max: 0xffff }),
        (groups, at, change) => {
          // Prepare: the same address with one group of its prefix changed
          const other = [...groups];
          other[at] = ((Number.parseInt(groups[at] ?? '0', 16) ^ change) & 0xffff).toString(16);
          if (other[0] === '0' && other[1] === '0' && other[2] === '0' && other[3] === '0') return;
          if (groups[0] === '0' && groups[1] === '0' && groups[2] === '0' && groups[3] === '0') return;

          // Act + Assess
          expect(clientBucket(groups.join(':'))).not.toBe(clientBucket(other.join(':')));
        },
      ),
    );
  });

  it('keeps IPv4 per address and maps IPv4-mapped IPv6 onto it', () => {
    fc.assert(
      fc.property(ipv4, ipv4, (address, other) => {
        // Prepare
        const [a = 0, b = 0, c = 0, d = 0] = address.split('.').map(Number);
        const hex = `${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;

        // Act
        const bucket = clientBucket(address);

        // Assess
        expect(bucket).toBe(`v4:${address}`);
        for (const mapped of [`::ffff:${address}`, `::FFFF:${hex}`, `0:0:0:0:0:ffff:${address}`]) {
          expect(clientBucket(mapped)).toBe(bucket);
        }
        if (other !== address) expect(clientBucket(other)).not.toBe(bucket);
      }),
    );
  });

  it('puts anything that is not an address into one shared client', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 60 }), (text) => {
        const bucket = clientBucket(text);
        expect(bucket === 'unknown' || bucket.startsWith('v4:') || bucket.startsWith('v6:')).toBe(true);
        if (bucket === 'unknown') expect(clientBucket(`${text}x`)).toBe('unknown');
      }),
    );
    expect(clientBucket(undefined)).toBe('unknown');
  });
});
