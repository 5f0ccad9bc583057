// A fake of Slack's Socket Mode on 127.0.0.1, speaking Slack's protocol: apps.connections.open
// (answered through FakeSlack) hands out a one-use WebSocket URL; on connect the server says
// `hello`; envelopes carry envelope_id, type, payload, accepts_response_payload and, for Events API
// envelopes, retry_attempt / retry_reason; the app acknowledges with `{ envelope_id, payload }`.
// Like Slack, an Events API envelope not acknowledged in time is delivered again, up to three
// retries; slash commands and interactive payloads are not retried (the person sees an error).
// Faults: Slack's `disconnect` frame, a dropped connection, and Slack being unreachable.
import { randomUUID } from "node:crypto";
import { EventEmitter } from "node:events";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Duplex } from "node:stream";
import { WebSocketServer, type RawData, type WebSocket } from "ws";

export type EnvelopeType = "events_api" | "slash_commands" | "interactive";
export type DisconnectReason = "refresh_requested" | "link_disabled" | "warning";

export interface Envelope {
  envelope_id: string;
  type: EnvelopeType;
  payload: Record<string, unknown>;
  accepts_response_payload: boolean;
  retry_attempt?: number;
  retry_reason?: string;
}

export interface Ack {
  envelopeId: string;
  payload?: Record<string, unknown>;
  /** Date.now() when the ack arrived. */
  at: number;
}

export interface ConnectionsOpenCall {
  /** The full URL the call reached, e.g. http://127.0.0.1:1234/api/apps.connections.open */
  url: string;
  authorization: string | undefined;
  at: number;
}

export interface FakeSocketModeOptions {
  /** How long an Events API envelope may go unacknowledged before it is delivered again. */
  ackTimeoutMs?: number;
  /** How many times an unacknowledged envelope is delivered again (Slack: 3). */
  maxRetries?: number;
  /** How often the server pings each connection, as Slack does. */
  pingIntervalMs?: number;
  appId?: string;
}

interface Pending {
  envelope: Envelope;
  /** Date.now() of each delivery, first one included. */
  deliveredAt: number[];
  timer?: NodeJS.Timeout;
  acked: boolean;
}

/** A frame's text. The server keeps ws's default binaryType ("nodebuffer"), so a message is a Buffer; the other forms are decoded too. */
function utf8(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString("utf8");
  return (Buffer.isBuffer(data) ? data : Buffer.from(data)).toString("utf8");
}

export class FakeSocketMode {
  readonly acks: Ack[] = [];
  readonly openCalls: ConnectionsOpenCall[] = [];
  /** Every envelope sent, redeliveries included, in order. */
  readonly sent: Envelope[] = [];
  /** WebSocket connections accepted so far. */
  connectionCount = 0;
  url = "";
  private readonly pending = new Map<string, Pending>();
  private readonly firstAck = new Map<string, Ack>();
  private readonly ackWaiters = new Map<string, (() => void)[]>();
  private readonly sockets = new Set<WebSocket>();
  private readonly tickets = new Set<string>();
  private readonly events = new EventEmitter();
  private readonly wss = new WebSocketServer({ noServer: true });
  private refusing = false;
  private lifted: { promise: Promise<void>; resolve: () => void } | undefined;
  private readonly ackTimeoutMs: number;
  private readonly maxRetries: number;
  private readonly appId: string;
  private readonly pinger: NodeJS.Timeout;

  private constructor(
    private readonly server: Server,
    options: FakeSocketModeOptions,
  ) {
    this.ackTimeoutMs = options.ackTimeoutMs ?? 300;
    this.maxRetries = options.maxRetries ?? 3;
    this.appId = options.appId ?? "A0FAKEAPP";
    this.pinger = setInterval(() => this.sockets.forEach((s) => s.ping()), options.pingIntervalMs ?? 2_000);
    this.pinger.unref();
    this.events.setMaxListeners(0);
    server.on("upgrade", (req, socket, head) => this.upgrade(req, socket, head));
  }

  static async start(options: FakeSocketModeOptions = {}): Promise<FakeSocketMode> {
    const server = createServer((_req, res) => res.writeHead(404).end());
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const fake = new FakeSocketMode(server, options);
    fake.url = `ws://127.0.0.1:${(server.address() as AddressInfo).port}`;
    return fake;
  }

  /**
   * apps.connections.open, called by FakeSlack with the app-level token already checked: a fresh
   * one-use URL. While Slack is unreachable the call is not answered until that ends.
   */
  async open(call: Omit<ConnectionsOpenCall, "at">): Promise<{ ok: true; url: string }> {
    this.openCalls.push({ ...call, at: Date.now() });
    while (this.refusing && this.lifted) await this.lifted.promise;
    const ticket = randomUUID();
    this.tickets.add(ticket);
    return { ok: true, url: `${this.url}/link/?ticket=${ticket}&app_id=${this.appId}` };
  }

  /** Sends an envelope to the app's newest connection (or the next one to open); returns its id. */
  deliver(payload: Record<string, unknown>, type: EnvelopeType = "events_api", acceptsResponsePayload = type !== "events_api"): string {
    const envelope: Envelope = { envelope_id: randomUUID(), type, payload, accepts_response_payload: acceptsResponsePayload };
    if (type === "events_api") Object.assign(envelope, { retry_attempt: 0, retry_reason: "" });
    const pending: Pending = { envelope, deliveredAt: [], acked: false };
    this.pending.set(envelope.envelope_id, pending);
    this.send(pending);
    return envelope.envelope_id;
  }

  /** Slack's notice that this connection is going away and the app should reconnect. */
  sendDisconnect(reason: DisconnectReason = "refresh_requested") {
    const frame = JSON.stringify({ type: "disconnect", reason, debug_info: { host: "applink-fake-1" } });
    for (const socket of this.sockets) socket.send(frame);
  }

  /** The connection breaks without a close handshake (a network drop, a Slack host dying). */
  dropConnection() {
    for (const socket of this.sockets) socket.terminate();
    this.sockets.clear();
  }

  /** Slack unreachable: apps.connections.open goes unanswered and WebSocket connections are refused. */
  refuseConnections(on: boolean) {
    this.refusing = on;
    if (on && !this.lifted) {
      let resolve!: () => void;
      const promise = new Promise<void>((r) => (resolve = r));
      this.lifted = { promise, resolve };
    }
    if (!on && this.lifted) {
      this.lifted.resolve();
      this.lifted = undefined;
    }
  }

  get openConnections() {
    return this.sockets.size;
  }

  ackFor(envelopeId: string): Ack | undefined {
    return this.firstAck.get(envelopeId);
  }

  /** When each delivery of this envelope was sent (first delivery first). */
  deliveriesOf(envelopeId: string): number[] {
    return this.pending.get(envelopeId)?.deliveredAt ?? [];
  }

  /** Resolves with the envelope's ack; rejects after `timeoutMs`. */
  waitForAck(envelopeId: string, timeoutMs = 5_000): Promise<Ack> {
    const acked = this.ackFor(envelopeId);
    if (acked) return Promise.resolve(acked);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`FakeSocketMode: no ack for ${envelopeId} within ${timeoutMs} ms`)), timeoutMs);
      const waiters = this.ackWaiters.get(envelopeId) ?? [];
      waiters.push(() => {
        clearTimeout(timer);
        resolve(this.ackFor(envelopeId)!);
      });
      this.ackWaiters.set(envelopeId, waiters);
    });
  }

  /** Resolves once `count` WebSocket connections have been accepted in all (and one is open). */
  waitForConnections(count: number, timeoutMs = 5_000): Promise<void> {
    return new Promise((resolve, reject) => {
      const check = () => {
        if (this.connectionCount < count || this.sockets.size === 0) return;
        clearTimeout(timer);
        this.events.off("connection", check);
        resolve();
      };
      const timer = setTimeout(() => {
        this.events.off("connection", check);
        reject(new Error(`FakeSocketMode: no ${count} connections within ${timeoutMs} ms`));
      }, timeoutMs);
      this.events.on("connection", check);
      check();
    });
  }

  async close() {
    clearInterval(this.pinger);
    for (const p of this.pending.values()) clearTimeout(p.timer);
    this.refuseConnections(false);
    for (const socket of this.sockets) socket.terminate();
    this.wss.close();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private upgrade(req: IncomingMessage, socket: Duplex, head: Buffer) {
    const ticket = new URL(req.url ?? "/", this.url).searchParams.get("ticket") ?? "";
    // A refused connection, or a URL not handed out (or already used): Slack's are one-use.
    if (this.refusing || !this.tickets.delete(ticket)) return void socket.destroy();
    this.wss.handleUpgrade(req, socket, head, (ws) => this.accept(ws));
  }

  private accept(ws: WebSocket) {
    this.sockets.add(ws);
    this.connectionCount += 1;
    ws.on("close", () => this.sockets.delete(ws));
    ws.on("message", (data) => this.onMessage(utf8(data)));
    ws.send(
      JSON.stringify({
        type: "hello",
        num_connections: this.sockets.size,
        debug_info: { host: "applink-fake-1", build_number: 1, approximate_connection_time: 18060 },
        connection_info: { app_id: this.appId },
      }),
    );
    // Envelopes that found no connection go out on the new one, as Slack's retries would.
    for (const p of this.pending.values()) if (!p.acked && p.deliveredAt.length === 0) this.send(p);
    this.events.emit("connection");
  }

  private onMessage(raw: string) {
    let message: { envelope_id?: string; payload?: Record<string, unknown> };
    try {
      message = JSON.parse(raw) as typeof message;
    } catch {
      return;
    }
    if (!message.envelope_id) return;
    const ack = { envelopeId: message.envelope_id, payload: message.payload, at: Date.now() };
    this.acks.push(ack);
    if (!this.firstAck.has(ack.envelopeId)) this.firstAck.set(ack.envelopeId, ack);
    this.ackWaiters.get(ack.envelopeId)?.forEach((wake) => wake());
    this.ackWaiters.delete(ack.envelopeId);
    const pending = this.pending.get(message.envelope_id);
    if (pending) {
      pending.acked = true;
      clearTimeout(pending.timer);
    }
  }

  private send(pending: Pending) {
    const socket = [...this.sockets].at(-1);
    if (!socket) return; // sent when a connection opens
    pending.deliveredAt.push(Date.now());
    this.sent.push(pending.envelope);
    socket.send(JSON.stringify(pending.envelope));
    if (pending.envelope.type !== "events_api") return;
    pending.timer = setTimeout(() => this.redeliver(pending), this.ackTimeoutMs);
  }

  private redeliver(pending: Pending) {
    const attempt = pending.envelope.retry_attempt ?? 0;
    if (pending.acked || attempt >= this.maxRetries) return;
    if (this.sockets.size === 0) {
      pending.timer = setTimeout(() => this.redeliver(pending), this.ackTimeoutMs);
      return;
    }
    pending.envelope = { ...pending.envelope, retry_attempt: attempt + 1, retry_reason: "timeout" };
    this.send(pending);
  }
}
