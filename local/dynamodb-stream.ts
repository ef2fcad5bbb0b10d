/**
 * Reads a table's DynamoDB stream (DynamoDB Local implements streams) and hands the records over in the
 * shape Lambda's event source mapping delivers, so the production stream handlers run unchanged.
 */

import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { DescribeTableCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  type _Record,
  DescribeStreamCommand,
  type DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
} from '@aws-sdk/client-dynamodb-streams';
import type { DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';

export interface StreamReader {
  /** Records written since the last call (all shards), oldest first per shard. */
  read(): Promise<DynamoDBStreamEvent>;
  /**
   * Marks records (as `read` returned them) processed: with a checkpoint file, a restart resumes after
   * the last record committed in each shard, as Lambda's poller resumes after its checkpoint.
   */
  commit(records: readonly DynamoDBRecord[]): void;
}

/** What the checkpoint file holds: the stream it belongs to, and the last record processed per shard. */
interface Checkpoint {
  readonly streamArn: string;
  readonly positions: Record<string, string>;
}

const readCheckpoint = (file: string, streamArn: string): Map<string, string> | undefined => {
  if (!existsSync(file)) return undefined;
  const checkpoint = JSON.parse(readFileSync(file, 'utf8')) as Checkpoint;
  // Another stream (the table was recreated): its positions mean nothing here.
  if (checkpoint.streamArn !== streamArn) return undefined;
  return new Map(Object.entries(checkpoint.positions));
};

/** Written to a temporary file and renamed over the old one: a crash leaves the old or the new, whole. */
const writeCheckpoint = (file: string, checkpoint: Checkpoint) => {
  mkdirSync(path.dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, JSON.stringify(checkpoint));
  renameSync(temporary, file);
};

type Image = Record<string, unknown>;

/**
 * The Streams client turns an empty map attribute (`{ "M": {} }`) into `{}`, which unmarshall rejects;
 * Lambda delivers the JSON as sent. Only maps can come out empty this way (an empty list stays `{ L: [] }`).
 */
const restoreEmptyMaps = (value: unknown): unknown => {
  if (Array.isArray(value)) return value.map(restoreEmptyMaps);
  if (!value || typeof value !== 'object' || value instanceof Uint8Array) return value;
  const entries = Object.entries(value as Image);
  if (entries.length === 0) return { M: {} };
  return Object.fromEntries(entries.map(([key, nested]) => [key, restoreEmptyMaps(nested)]));
};

const restoreImage = (image: Image | undefined): Image | undefined =>
  image &&
  (Object.fromEntries(Object.entries(image).map(([key, value]) => [key, restoreEmptyMaps(value)])) as Image);

const toLambdaRecord = (record: _Record, streamArn: string): DynamoDBRecord =>
  ({
    eventID: record.eventID,
    eventName: record.eventName,
    eventVersion: record.eventVersion,
    eventSource: 'aws:dynamodb',
    awsRegion: record.awsRegion,
    eventSourceARN: streamArn,
    dynamodb: {
      ...record.dynamodb,
      NewImage: restoreImage(record.dynamodb?.NewImage as Image | undefined),
      OldImage: restoreImage(record.dynamodb?.OldImage as Image | undefined),
      ApproximateCreationDateTime: record.dynamodb?.ApproximateCreationDateTime
        ? Math.floor(record.dynamodb.ApproximateCreationDateTime.getTime() / 1000)
        : undefined,
    },
  }) as DynamoDBRecord;

export const openStream = async (
  dynamo: DynamoDBClient,
  streams: DynamoDBStreamsClient,
  tableName: string,
  options: {
    /** Where a reader without a checkpoint starts. @default 'TRIM_HORIZON' */
    readonly from?: 'TRIM_HORIZON' | 'LATEST';
    /**
     * A file keeping the position committed per shard. When it holds this stream's positions, reading
     * resumes after them (whatever `from` says), and shards it does not know are read from their start:
     * nothing written while the reader was down is skipped.
     */
    readonly checkpointFile?: string;
  } = {},
): Promise<StreamReader> => {
  const table = await dynamo.send(new DescribeTableCommand({ TableName: tableName }));
  const streamArn = table.Table?.LatestStreamArn;
  if (!streamArn) throw new Error(`table ${tableName} has no stream: enable NEW_AND_OLD_IMAGES`);
  const iterators = new Map<string, string | undefined>();
  const checkpointed = options.checkpointFile ? readCheckpoint(options.checkpointFile, streamArn) : undefined;
  /** The last sequence number read per shard: where to resume when an iterator goes stale. */
  const positions = new Map<string, string>(checkpointed);
  /** The last sequence number processed per shard: what the checkpoint file keeps. */
  const committed = new Map<string, string>(checkpointed);
  /** The shard of each record handed out (records carry no shard id). */
  const shardOf = new WeakMap<DynamoDBRecord, string>();

  const iteratorFor = async (shardId: string): Promise<string | undefined> => {
    const after = positions.get(shardId);
    const result = await streams.send(
      new GetShardIteratorCommand({
        StreamArn: streamArn,
        ShardId: shardId,
        ...(after
          ? { ShardIteratorType: 'AFTER_SEQUENCE_NUMBER', SequenceNumber: after }
          : { ShardIteratorType: 'TRIM_HORIZON' }),
      }),
    );
    return result.ShardIterator;
  };

  /**
   * Reading "from LATEST" is done as TRIM_HORIZON with everything already in the shard skipped, so the
   * reader always holds a position: a stale iterator (they expire; DynamoDB Local sometimes reports a
   * fresh one as trimmed) then resumes after the last record seen and never skips a new one, as a LATEST
   * iterator taken again would.
   */
  const skipToEnd = async (shardId: string, iterator: string | undefined): Promise<string | undefined> => {
    let current = iterator;
    while (current) {
      const page = await streams.send(new GetRecordsCommand({ ShardIterator: current, Limit: 1000 }));
      const last = page.Records?.at(-1)?.dynamodb?.SequenceNumber;
      if (last) positions.set(shardId, last);
      if (!page.Records?.length) return page.NextShardIterator;
      current = page.NextShardIterator;
    }
    return current;
  };

  let discovered = false;
  const discoverShards = async () => {
    const description = await streams.send(new DescribeStreamCommand({ StreamArn: streamArn }));
    for (const shard of description.StreamDescription?.Shards ?? []) {
      if (!shard.ShardId || iterators.has(shard.ShardId)) continue;
      const iterator = await iteratorFor(shard.ShardId);
      // Shards that appear later (a shard rolls over) hold only records new to this reader; with a
      // checkpoint nothing is skipped.
      const skip = !discovered && options.from === 'LATEST' && checkpointed === undefined;
      iterators.set(shard.ShardId, skip ? await skipToEnd(shard.ShardId, iterator) : iterator);
    }
    discovered = true;
  };

  const readShard = async (shardId: string, iterator: string) => {
    try {
      return await streams.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: 1000 }));
    } catch (error) {
      // Iterators expire (15 minutes on AWS) and DynamoDB Local sometimes reports a fresh one as trimmed:
      // resume after the last record read, as Lambda's poller does.
      if (
        !(error instanceof Error) ||
        !['ExpiredIteratorException', 'TrimmedDataAccessException'].includes(error.name)
      ) {
        throw error;
      }
      const fresh = await iteratorFor(shardId);
      return fresh ? streams.send(new GetRecordsCommand({ ShardIterator: fresh, Limit: 1000 })) : undefined;
    }
  };

  return {
    read: async () => {
      await discoverShards();
      const records: DynamoDBRecord[] = [];
      for (const [shardId, iterator] of iterators) {
        if (!iterator) continue;
        const page = await readShard(shardId, iterator);
        const batch = page?.Records ?? [];
        for (const record of batch) {
          const lambdaRecord = toLambdaRecord(record, streamArn);
          shardOf.set(lambdaRecord, shardId);
          records.push(lambdaRecord);
        }
        const last = batch.at(-1)?.dynamodb?.SequenceNumber;
        if (last) positions.set(shardId, last);
        iterators.set(shardId, page?.NextShardIterator);
      }
      return { Records: records };
    },
    commit: (records) => {
      let moved = false;
      for (const record of records) {
        const shardId = shardOf.get(record);
        const sequenceNumber = record.dynamodb?.SequenceNumber;
        if (shardId === undefined || sequenceNumber === undefined) continue;
        committed.set(shardId, sequenceNumber);
        moved = true;
      }
      if (moved && options.checkpointFile) {
        writeCheckpoint(options.checkpointFile, { streamArn, positions: Object.fromEntries(committed) });
      }
    },
  };
};
