/**
 * Reads a table's DynamoDB stream (DynamoDB Local implements streams) and hands the records over in the
 * shape Lambda's event source mapping delivers, so the production stream handlers run unchanged.
 */
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
}

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
      ApproximateCreationDateTime: record.dynamodb?.ApproximateCreationDateTime
        ? Math.floor(record.dynamodb.ApproximateCreationDateTime.getTime() / 1000)
        : undefined,
    },
  }) as DynamoDBRecord;

export const openStream = async (
  dynamo: DynamoDBClient,
  streams: DynamoDBStreamsClient,
  tableName: string,
  options: { readonly from?: 'TRIM_HORIZON' | 'LATEST' } = {},
): Promise<StreamReader> => {
  const table = await dynamo.send(new DescribeTableCommand({ TableName: tableName }));
  const streamArn = table.Table?.LatestStreamArn;
  if (!streamArn) throw new Error(`table ${tableName} has no stream: enable NEW_AND_OLD_IMAGES`);
  const iterators = new Map<string, string | undefined>();

  const discoverShards = async () => {
    const description = await streams.send(new DescribeStreamCommand({ StreamArn: streamArn }));
    for (const shard of description.StreamDescription?.Shards ?? []) {
      if (!shard.ShardId || iterators.has(shard.ShardId)) continue;
      const iterator = await streams.send(
        new GetShardIteratorCommand({
          StreamArn: streamArn,
          ShardId: shard.ShardId,
          ShardIteratorType: options.from ?? 'TRIM_HORIZON',
        }),
      );
      iterators.set(shard.ShardId, iterator.ShardIterator);
    }
  };

  return {
    read: async () => {
      await discoverShards();
      const records: DynamoDBRecord[] = [];
      for (const [shardId, iterator] of iterators) {
        if (!iterator) continue;
        const page = await streams.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: 1000 }));
        records.push(...(page.Records ?? []).map((record) => toLambdaRecord(record, streamArn)));
        iterators.set(shardId, page.NextShardIterator);
      }
      return { Records: records };
    },
  };
};
