import { createServer, type Socket } from 'node:net';

export interface FrozenEndpoint {
  /** `http://127.0.0.1:<port>`: accepts connections, reads requests, never answers. */
  readonly url: string;
  close(): Promise<void>;
}

/** A dependency that froze: every connection is accepted and left hanging. */
export const startFrozenEndpoint = async (): Promise<FrozenEndpoint> => {
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('the frozen endpoint has no port');
  return {
    url: `http://127.0.0.1:${address.port}`,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
};
