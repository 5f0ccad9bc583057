// Builds the Bolt app and the bot's HTTP server. HTTP mode: Slack's requests arrive on
// POST /slack/events, are checked and parsed (src/slack/requestChecks.ts) and handed to Bolt by our
// receiver (./httpReceiver.ts), which answers only once the listener has finished. Socket Mode: Bolt's
// listeners run behind our store-then-ack receiver; the HTTP server still serves /health and the
// bot's other routes. In both modes an event is acknowledged only after it is stored.
import { App } from "@slack/bolt";
// Its default export: Node's ESM loader finds no named export `retryPolicies` in this CommonJS module.
import slackWebApi, { type WebClient } from "@slack/web-api";
import type { Config } from "../config/index.js";
import { failed, StartupCheckFailed } from "../preflight/check.js";
import { sendJson, startHttpServer, type Route, type RunningServer } from "../http/server.js";
import { boltLogger, type Logger } from "../log.js";
import type { ListenerContext } from "./context.js";
import { registerListeners } from "./listeners/index.js";
import { VerifiedHttpReceiver } from "./httpReceiver.js";
import { checkedSlackEvents } from "./requestChecks.js";
import { signatureMismatchReporter } from "./signatureWarnings.js";
import { SocketModeReceiver, type SocketModeReceiverOptions } from "./socketModeReceiver.js";
import { guardSlackClient } from "./text.js";

/** Who the bot is in the workspace, as auth.test says (start-up asks, so Bolt need not ask again). */
export interface BotIdentity {
  userId: string;
  botId: string;
  team: string;
  user: string;
}

export interface SlackRuntime {
  app: App;
  /** The app's Web API client, guarded (./text.ts): what the bot's own Slack adapters post through. */
  client: WebClient;
  /** Registers the bot's listeners, with what they need (built from `client`). */
  listen(context: ListenerContext): void;
  /** Starts Slack and the HTTP server (the probes, Slack's events in HTTP mode, and `routes`); resolves with the port bound (useful with PORT=0). */
  start(routes?: Route[]): Promise<number>;
  stop(): Promise<void>;
}

export interface SlackAppOptions {
  config: Config;
  logger: Logger;
  /** Who the bot is, from start-up's auth.test (so Bolt need not ask again). */
  identity: BotIdentity;
  /** Answers /health: true when the database answers. */
  isDatabaseUp: () => Promise<boolean>;
  /** Socket Mode timings (tests shorten them). */
  socketMode?: Pick<SocketModeReceiverOptions, "startTimeoutMs" | "disconnectedGraceMs" | "clientPingTimeout">;
  /**
   * The first wait before the Web API client retries a failed call (its default policy's 1 s, then
   * growing; tests shorten it). After a 429 the client first waits out Slack's retry-after in full,
   * then this backoff too: tests paid it on top of every rate limit they stage.
   */
  retryBaseMs?: number;
}

/**
 * The probes. /health/live: 200 while this process can answer at all; restarting it would not
 * help with a database or Slack outage, so neither is looked at (the liveness probe). /health/ready
 * (and /health, its old name): 200 while the database answers and, in Socket Mode, Slack's
 * connection is up or only briefly down (the readiness probe, and the load balancer's check).
 */
function healthRoutes(isDatabaseUp: () => Promise<boolean>, socket?: SocketModeReceiver): Route[] {
  const ready = async (_req: unknown, res: Parameters<Route["handle"]>[1]) => {
    const up = await isDatabaseUp().catch(() => false);
    const slack = socket?.health();
    const ok = up && (slack?.ok ?? true);
    sendJson(res, ok ? 200 : 503, {
      status: ok ? "ok" : "unavailable",
      database: up ? "up" : "down",
      ...(slack ? { slack: slack.state, ...(slack.ok ? {} : { reason: slack.reason }) } : {}),
    });
  };
  return [
    { method: "GET", path: "/health/live", handle: (_req, res) => sendJson(res, 200, { status: "ok", service: "incident-bot" }) },
    { method: "GET", path: "/health/ready", handle: ready },
    { method: "GET", path: "/health", handle: ready },
  ];
}

/** PORT taken between start-up's check and the listen: the same one line. */
function portRefused(error: unknown, port: number): unknown {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === "EADDRINUSE")
    return new StartupCheckFailed(
      failed(
        `PORT ${port}`,
        "is in use by another process (perhaps another incident-bot)",
        "stop that process, or set PORT to a free port",
      ),
    );
  if (code === "EACCES")
    return new StartupCheckFailed(failed(`PORT ${port}`, "may not be opened by this user", "set PORT to 1024 or above, e.g. 3000"));
  return error;
}

export function buildSlackApp({
  config,
  logger,
  identity,
  isDatabaseUp,
  socketMode: socketTimings,
  retryBaseMs,
}: SlackAppOptions): SlackRuntime {
  const log = boltLogger(logger);
  const socketMode = config.slack.mode === "socket";
  // Answers Slack only once the listener has finished, so an event we failed to store is answered
  // 500 and redelivered instead of acknowledged and lost. Commands ack first and continue in the
  // background (see listeners/commands). The signature is verified before it (requestChecks.ts).
  const httpReceiver = socketMode ? undefined : new VerifiedHttpReceiver(log);
  // Socket Mode acknowledges an envelope only after the listener has stored it, as HTTP mode does.
  const socketReceiver = socketMode
    ? new SocketModeReceiver({ appToken: config.slack.appToken!, logger: log, slackApiUrl: config.slack.apiUrl, ...socketTimings })
    : undefined;
  const receiver = httpReceiver ?? socketReceiver!;

  const app = new App({
    token: config.slack.botToken,
    receiver,
    logger: log,
    clientOptions: {
      ...(config.slack.apiUrl ? { slackApiUrl: config.slack.apiUrl } : {}),
      // The default policy (ten retries over about half an hour), from a shorter first wait if given.
      ...(retryBaseMs === undefined
        ? {}
        : { retryConfig: { ...slackWebApi.retryPolicies.tenRetriesInAboutThirtyMinutes, minTimeout: retryBaseMs } }),
    },
    // Our own messages come back as events; they are not part of the record.
    ignoreSelf: true,
    // No listener uses conversation state; Bolt's default store would run on every request.
    convoStore: false,
    // auth.test already ran in start-up's checks (src/preflight/startup.ts): Bolt takes its answer.
    botId: identity.botId,
    botUserId: identity.userId,
    tokenVerificationEnabled: false,
    deferInitialization: true,
  });
  const client = guardSlackClient(app.client, logger);
  // Bolt hands each listener a client of its own (one per token, pooled), not app.client. Listeners
  // use ctx.client, but whatever posts through the one Bolt hands out is guarded the same way: no
  // broadcasts, nothing past Slack's limits (./text.ts). Guarding a client is done once per client.
  app.use(async ({ client, next }) => {
    guardSlackClient(client, logger);
    await next();
  });
  let server: RunningServer | undefined;

  return {
    app,
    client,
    listen(context) {
      registerListeners(app, context);
    },
    async start(routes = []) {
      const allRoutes: Route[] = [...healthRoutes(isDatabaseUp, socketReceiver), ...routes];
      if (httpReceiver)
        allRoutes.push({
          method: "POST",
          path: "/slack/events",
          handle: checkedSlackEvents(httpReceiver, config.slack.signingSecret!, { onSignatureMismatch: signatureMismatchReporter(logger) }),
        });
      await app.init(); // no call to Slack: the identity is known
      if (socketMode) await app.start();
      server = await startHttpServer(allRoutes, config.port, (error, req) =>
        logger.error({ err: error, path: req.url }, "HTTP request failed"),
      ).catch((error: unknown) => {
        throw portRefused(error, config.port);
      });
      return server.port;
    },
    async stop() {
      await server?.close();
      if (socketMode) await app.stop();
    },
  };
}
