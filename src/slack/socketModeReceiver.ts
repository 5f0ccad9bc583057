// Socket Mode with the same promise HTTP mode makes: an envelope is acknowledged only once our
// listeners have finished with it, so an event we failed to store is redelivered by Slack instead
// of acknowledged and lost. Bolt's own SocketModeReceiver acknowledges an Events API envelope
// before any listener runs. This one also uses SLACK_API_URL for apps.connections.open, gives up
// start-up within a bounded time, and reports whether it is connected for /health.
import type { App, Logger, Receiver, ReceiverEvent } from "@slack/bolt";
import { SocketModeClient } from "@slack/socket-mode";
import { ErrorCode, type FetchFunction } from "@slack/web-api";

const DEFAULT_API_URL = "https://slack.com/api/";

export interface SocketModeReceiverOptions {
  /** The app-level token (xapp-…) that may call apps.connections.open. */
  appToken: string;
  logger: Logger;
  /** Where apps.connections.open is called (SLACK_API_URL); Slack's own API when absent. */
  slackApiUrl?: string;
  /** How long start() waits for a connection before it fails. */
  startTimeoutMs?: number;
  /** How long a lost connection may take to come back before health() reports it. */
  disconnectedGraceMs?: number;
  /** SocketModeClient's heartbeat: a pong is awaited this long; it is also the reconnect delay step. */
  clientPingTimeout?: number;
  /** SocketModeClient's heartbeat: Slack's pings are awaited this long. */
  serverPingTimeout?: number;
}

export interface SocketModeHealth {
  ok: boolean;
  state: "connected" | "connecting" | "disconnected";
  reason?: string;
  /** When the current connected (or not connected) period began. */
  since: Date;
}

/** What SocketModeClient hands to `slack_event` listeners (its types leave it untyped). */
interface SlackEnvelope {
  ack: (response?: unknown) => Promise<void>;
  envelope_id: string;
  type: string;
  body: Record<string, unknown>;
  retry_num?: number;
  retry_reason?: string;
}

/** Pure: the health report for a connection that is up, or has been down since `since`. */
export function socketModeHealth(input: {
  running: boolean;
  connected: boolean;
  since: Date;
  graceMs: number;
  now: Date;
}): SocketModeHealth {
  const { running, connected, since, graceMs, now } = input;
  if (connected) return { ok: true, state: "connected", since };
  if (!running) return { ok: false, state: "disconnected", reason: "Socket Mode is not running", since };
  const downMs = now.getTime() - since.getTime();
  if (downMs <= graceMs) return { ok: true, state: "connecting", since };
  return { ok: false, state: "disconnected", reason: `Socket Mode disconnected from Slack for ${Math.round(downMs / 1000)} s`, since };
}

export class SocketModeReceiver implements Receiver {
  private readonly client: SocketModeClient;
  private readonly logger: Logger;
  private readonly apiUrl: string;
  private readonly startTimeoutMs: number;
  private readonly graceMs: number;
  private app: App | undefined;
  private running = false;
  private connected = false;
  private since = new Date();
  /** Aborted when start() gives up or stop() runs: ends apps.connections.open calls still retrying. */
  private giveUp = new AbortController();
  /** Envelopes being handled: stop() waits for them, so none runs against a closed database. */
  private readonly inFlight = new Set<Promise<void>>();

  constructor(options: SocketModeReceiverOptions) {
    this.logger = options.logger;
    this.apiUrl = options.slackApiUrl ?? DEFAULT_API_URL;
    this.startTimeoutMs = options.startTimeoutMs ?? 30_000;
    this.graceMs = options.disconnectedGraceMs ?? 10_000;
    this.client = new SocketModeClient({
      appToken: options.appToken,
      logger: options.logger,
      // Disconnects are routine in Socket Mode (Slack refreshes connections); reconnecting is the point.
      autoReconnectEnabled: true,
      clientPingTimeout: options.clientPingTimeout,
      serverPingTimeout: options.serverPingTimeout,
      // SocketModeClient builds its own WebClient from these: this is the only way
      // apps.connections.open reaches SLACK_API_URL.
      clientOptions: {
        slackApiUrl: this.apiUrl,
        fetch: this.fetchUntilGivenUp,
        // A hung call is abandoned and retried rather than awaited for minutes.
        timeout: 10_000,
        // Retry for as long as it takes, at most 30 s apart. A reconnect that runs out of retries
        // rejects inside SocketModeClient's reconnect timer (3.1.0), unhandled, which ends the
        // process; /health reports the outage instead (start-up has its own bound).
        retryConfig: { forever: true, factor: 1.3, maxTimeout: 30_000 },
      },
    });
    this.client.on("connected", () => this.markConnected(true));
    // "close" is the socket going away for any reason: Slack's disconnect frame, a dropped link, a missed pong.
    this.client.on("close", () => this.markConnected(false));
    this.client.on("slack_event", (envelope: SlackEnvelope) => {
      const handling = this.onEnvelope(envelope).finally(() => this.inFlight.delete(handling));
      this.inFlight.add(handling);
    });
  }

  init(app: App) {
    this.app = app;
  }

  async start(): Promise<void> {
    this.giveUp = new AbortController();
    this.running = true;
    this.connected = false;
    this.since = new Date();
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () =>
          reject(
            new Error(
              `Socket Mode did not connect to Slack within ${this.startTimeoutMs / 1000} s: check the network path to ${this.apiUrl} ` +
                "(apps.connections.open and the WebSocket URL it returns) and SLACK_APP_TOKEN.",
            ),
          ),
        this.startTimeoutMs,
      );
    });
    try {
      await Promise.race([this.client.start(), timedOut]);
    } catch (error) {
      await this.stop();
      throw this.startFailure(error);
    } finally {
      clearTimeout(timer);
    }
  }

  async stop(): Promise<void> {
    this.running = false;
    this.connected = false;
    this.since = new Date();
    this.giveUp.abort();
    // A reconnect in progress is a start() that SocketModeClient (3.1.0) runs without a catch; its
    // "disconnected" listener would reject it, unhandled, and end the process. Without the listener
    // it simply never settles.
    this.client.removeAllListeners("disconnected");
    // Envelopes being handled finish and send their acks over the still-open socket first.
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
    await this.client.disconnect();
  }

  health(now = new Date()): SocketModeHealth {
    return socketModeHealth({ running: this.running, connected: this.connected, since: this.since, graceMs: this.graceMs, now });
  }

  /**
   * Store, then acknowledge. Bolt calls `ack` before our message listener runs; here that only
   * records the answer, which is sent once processEvent has resolved. A listener that throws leaves
   * the envelope unacknowledged, so Slack delivers it again (retry_attempt), as HTTP mode's 500 does.
   *
   * Commands and buttons are answered at the same point. That is still within Slack's 3 s: those
   * listeners call ack() first and hand their slow work to a background task, so processEvent
   * resolves right after (the one listener that awaits more, opening a modal, must finish within
   * the trigger id's 3 s anyway). HTTP mode with processBeforeResponse answers at the same point.
   */
  private async onEnvelope(envelope: SlackEnvelope) {
    const app = this.app;
    if (!app)
      return void this.logger.warn(
        `Socket Mode ${envelope.type} envelope ${envelope.envelope_id} arrived before the app was ready; Slack will deliver it again`,
      );
    let answer: { response: unknown } | undefined;
    const event: ReceiverEvent = {
      body: envelope.body,
      retryNum: envelope.retry_num,
      retryReason: envelope.retry_reason,
      ack: (response?: unknown) => {
        if (answer) this.logger.warn(`ack() was called twice for Socket Mode envelope ${envelope.envelope_id}; the first answer stands`);
        else answer = { response };
        return Promise.resolve();
      },
    };
    try {
      await app.processEvent(event);
    } catch (error) {
      return void this.logger.warn(
        `Socket Mode ${envelope.type} envelope ${envelope.envelope_id} was not acknowledged, so Slack will deliver it again: ${messageOf(error)}`,
      );
    }
    if (!answer) return void this.logger.warn(`No listener acknowledged Socket Mode ${envelope.type} envelope ${envelope.envelope_id}`);
    try {
      await envelope.ack(answer.response);
    } catch (error) {
      // The socket went away between the write and the ack: Slack redelivers and the keyed write absorbs it.
      this.logger.warn(
        `Could not acknowledge Socket Mode envelope ${envelope.envelope_id} (Slack will deliver it again): ${messageOf(error)}`,
      );
    }
  }

  private markConnected(connected: boolean) {
    if (connected === this.connected) return;
    this.connected = connected;
    this.since = new Date();
  }

  private startFailure(error: unknown): Error {
    if (isPlatformError(error)) {
      return new Error(
        `Slack refused to open a Socket Mode connection (apps.connections.open at ${this.apiUrl}: ${error.data.error}): check SLACK_APP_TOKEN.`,
        { cause: error },
      );
    }
    if (error instanceof Error && error.message.startsWith("Socket Mode did not connect")) return error;
    return new Error(
      `Socket Mode could not connect to Slack at ${this.apiUrl}: ${messageOf(error)}. Check the network path and SLACK_APP_TOKEN.`,
      { cause: error },
    );
  }

  /**
   * fetch for SocketModeClient's WebClient. Once we have given up, calls in flight are aborted and
   * their promises, like any later call's, never settle: the client's retry loop then stops instead
   * of holding the process open, and no rejection escapes into its unguarded reconnect path.
   */
  private readonly fetchUntilGivenUp: FetchFunction = (url, init) => {
    const gaveUp = this.giveUp.signal;
    if (gaveUp.aborted) return new Promise(() => {});
    const signal = init?.signal ? AbortSignal.any([init.signal, gaveUp]) : gaveUp;
    return new Promise((resolve, reject) => {
      fetch(url, { ...(init as RequestInit), signal }).then(resolve, (error: unknown) => {
        if (!gaveUp.aborted) reject(error);
      });
    });
  };
}

function isPlatformError(error: unknown): error is Error & { data: { error: string } } {
  return error instanceof Error && (error as { code?: unknown }).code === ErrorCode.PlatformError;
}

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));
