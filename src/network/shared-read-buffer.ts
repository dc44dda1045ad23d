import { Socket } from 'node:net';

/**
 * Every client connection reads into one shared buffer, through Node's `onread` mechanism, instead
 * of Node's default of a new 64 KB allocation per read handed out as a stream 'data' event. This
 * was the largest per-request cost left at pipeline depth 1: 9.0 µs of CPU per request against
 * 6.6 µs in the same minimal server (bench/README.md, "Reading into one buffer").
 *
 * One buffer can serve every connection because JavaScript runs one read callback at a time, and
 * whoever keeps bytes past that callback copies them first: the request parser copies a partial
 * frame, a blocked client copies its queued commands, and command handlers convert or copy the
 * arguments they keep (the plugin API's rule: argv is valid only during the call).
 *
 * Node documents `onread` only for sockets it constructs for a caller (`new net.Socket`), not for
 * the ones a server accepts; for those the same two fields are set on the socket and its handle is
 * told to read into the buffer. That relies on Node internals (checked at start-up, and by
 * test/integration/shared-read-buffer.test.ts): where they differ, connections use 'data' events.
 */

/** libuv's suggested read size: what Node allocates per read by default. */
const SHARED_BUFFER_SIZE = 64 * 1024;

/** Reads a chunk of a connection's input; the chunk is valid only until the call returns. */
export type ChunkReader = (chunk: Buffer) => void;

interface UserBufferHandle {
  useUserBuffer(buffer: Uint8Array): void;
}

type OnReadFields = { bufferField: symbol; callbackField: symbol };

/** The socket fields behind `onread` in this Node version, or null when they are not found. */
function findOnReadFields(): OnReadFields | null {
  if (process.env.REDIX_STREAM_READS === '1') return null;
  const probe = new Socket();
  const symbols = Object.getOwnPropertySymbols(probe);
  const bufferField = symbols.find((s) => s.description === 'kBuffer');
  const callbackField = symbols.find((s) => s.description === 'kBufferCb');
  probe.destroy();
  if (bufferField === undefined || callbackField === undefined) return null;
  return { bufferField, callbackField };
}

const fields = findOnReadFields();
let shared: Buffer | null = null;

/** Whether connections read into the shared buffer (false: stream 'data' events). */
export function sharedReadsAvailable(): boolean {
  return fields !== null;
}

/**
 * Makes `socket` (accepted paused, with `pauseOnConnect`) deliver its input to `read`, then starts
 * reading. Returns true when the input comes from the shared buffer (so the reader must copy what
 * it keeps), false when from 'data' events (each chunk a fresh Buffer).
 */
export function startReading(socket: Socket, read: ChunkReader): boolean {
  const handle = (socket as unknown as { _handle?: Partial<UserBufferHandle> | null })._handle;
  if (fields === null || handle == null || typeof handle.useUserBuffer !== 'function') {
    socket.on('data', read);
    socket.resume();
    return false;
  }
  // Unpooled: no Buffer.from copy can share its memory (the parser tells views by their memory).
  const buffer = (shared ??= Buffer.allocUnsafeSlow(SHARED_BUFFER_SIZE));
  const target = socket as unknown as Record<symbol, unknown>;
  target[fields.bufferField] = buffer;
  target[fields.callbackField] = (length: number): boolean => {
    read(buffer.subarray(0, length));
    // true: flow control stays with the caller's pause() and resume().
    return true;
  };
  handle.useUserBuffer(buffer);
  socket.resume();
  return true;
}
