/**
 * Tracks the HTTP server's connections so shutdown can be gentle. Node's own
 * server.close() destroys every connection it thinks idle — including one
 * whose last response is still in the socket's write buffer (a large
 * `explain` answer was cut at 4–7 of 49 MB) and one whose client is sending
 * its next keep-alive request at that instant (reset, never processed).
 *
 * Here, when the server closes: busy connections finish their request and are
 * closed after it (`Connection: close`); idle keep-alive connections get a
 * short window in which a request that arrives is still answered (with
 * `Connection: close`), then are ended with FIN after their buffered bytes —
 * never destroyed mid-response. At the grace deadline whatever is left is
 * destroyed, and `cut` counts the connections that still owed a response.
 */
import type http from 'node:http';
import type { Socket } from 'node:net';

interface Connection {
  /** Requests received and not yet answered in full. */
  active: number;
  /** When the last response finished (or the connection opened). */
  idleSince: number;
  /** Ended by us (FIN sent after the buffered bytes). */
  ended: boolean;
}

export class ConnectionTracker {
  private readonly connections = new Map<Socket, Connection>();
  private draining = false;
  private drainStarted = 0;
  private timer: NodeJS.Timeout | undefined;

  /**
   * @param lingerMs how long, once closing, an idle keep-alive connection
   *   is kept open for a request already on its way.
   */
  constructor(
    server: http.Server,
    private readonly lingerMs = 500,
  ) {
    server.on('connection', (socket: Socket) => {
      this.connections.set(socket, { active: 0, idleSince: Date.now(), ended: false });
      socket.once('close', () => this.connections.delete(socket));
    });
    server.on('request', (request: http.IncomingMessage, response: http.ServerResponse) => {
      const c = this.connections.get(request.socket);
      if (!c) return;
      c.active++;
      response.once('close', () => {
        c.active--;
        c.idleSince = Date.now();
      });
    });
    // server.close() calls this; the gentle drain replaces Node's destroy-if-idle.
    server.closeIdleConnections = () => this.beginDrain();
  }

  get closing(): boolean {
    return this.draining;
  }

  /** Open connections (for tests and the shutdown log). */
  get size(): number {
    return this.connections.size;
  }

  private beginDrain(): void {
    if (this.draining) return;
    this.draining = true;
    this.drainStarted = Date.now();
    const step = Math.max(10, Math.min(100, this.lingerMs / 5));
    this.timer = setInterval(() => this.endIdle(), step);
    this.timer.unref();
    this.endIdle();
  }

  private endIdle(): void {
    const now = Date.now();
    for (const [socket, c] of this.connections) {
      if (c.ended || c.active > 0) continue;
      // Idle since before the close started counts from the start of the close.
      if (now - Math.max(c.idleSince, this.drainStarted) < this.lingerMs) continue;
      c.ended = true;
      socket.end();
    }
    if (this.connections.size === 0 && this.timer) clearInterval(this.timer);
  }

  /**
   * Destroys every connection left and returns how many still owed their
   * client something: a request being processed or response bytes not yet
   * handed to the kernel.
   */
  destroyAll(): number {
    let cut = 0;
    for (const [socket, c] of this.connections) {
      if (c.active > 0 || socket.writableLength > 0) cut++;
      socket.destroy();
    }
    if (this.timer) clearInterval(this.timer);
    return cut;
  }
}
