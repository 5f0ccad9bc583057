// Builds the Bolt app and the bot's HTTP server. HTTP mode: Slack's requests arrive on
// POST /slack/events, are checked (src/slack/requestChecks.ts) and handed to Bolt's receiver,
// which answers only once the listener has finished (processBeforeResponse). Socket Mode: Bolt's
// listeners run behind our store-then-ack receiver; the HTTP server still serves /health and the
// bot's other routes. In both modes an event is acknowledged only after it is stored.
import { App, HTTPReceiver } from "@slack/bolt";
import type { WebClient } from "@slack/web-api";
import type { Config } from "../config/index.js";
import { sendJson, startHttpServer, type Route, type RunningServer } from "../http/server.js";
import { boltLogger, type Logger } from "../log.js";
import type { ListenerContext } from "./context.js";
import { registerListeners } from "./listeners/index.js";
import { checkedSlackEvents } from "./requestChecks.js";
import { SocketModeReceiver, type SocketModeReceiverOptions } from "./socketModeReceiver.js";
import { guardSlackClient } from "./text.js";

const SLACK_INIT_TIMEOUT_MS = 30_000;

export interface SlackRuntime {
  app: App;
  context: ListenerContext;
  /** Starts Slack and the HTTP server; resolves with the port bound (useful with PORT=0). */
  start(): Promise<number>;
  stop(): Promise<void>;
}

export interface SlackAppOptions {
  config: Config;
  logger: Logger;
  /** Builds what listeners need from the app's Web API client (the client exists only once the app does). */
  context: (client: WebClient) => ListenerContext;
  /** Answers /health: true when the database answers. */
  isDatabaseUp(): Promise<boolean>;
  /** More routes for the HTTP server (in both modes). */
  routes?: Route[];
  /** Socket Mode timings (tests shorten them). */
  socketMode?: Pick<SocketModeReceiverOptions, "startTimeoutMs" | "disconnectedGraceMs" | "clientPingTimeout">;
}

/** 200 while the database answers and, in Socket Mode, Slack's connection is up (or only briefly down). */
function healthRoute(isDatabaseUp: () => Promise<boolean>, socket?: SocketModeReceiver): Route {
  return {
    method: "GET",
    path: "/health",
    async handle(_req, res) {
      const up = await isDatabaseUp().catch(() => false);
      const slack = socket?.health();
      const ok = up && (slack?.ok ?? true);
      sendJson(res, ok ? 200 : 503, {
        status: ok ? "ok" : "unavailable",
        database: up ? "up" : "down",
        ...(slack ? { slack: slack.state, ...(slack.ok ? {} : { reason: slack.reason }) } : {}),
      });
    },
  };
}

/** Rejects with `message` if `work` has not settled within `ms`. */
async function within<T>(work: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(message)), ms);
  });
  try {
    return await Promise.race([work, late]);
  } finally {
    clearTimeout(timer);
  }
}

export function buildSlackApp({ config, logger, context, isDatabaseUp, routes = [], socketMode: socketTimings }: SlackAppOptions): SlackRuntime {
  const log = boltLogger(logger);
  const socketMode = Boolean(config.slack.appToken);
  const httpReceiver = socketMode
    ? undefined
    : new HTTPReceiver({
        signingSecret: config.slack.signingSecret!,
        endpoints: "/slack/events",
        logger: log,
        // Answer Slack only once the listener has finished, so an event we failed to store is
        // answered 500 and redelivered instead of acknowledged and lost. Commands ack first
        // and continue in the background (see listeners/commands).
        processBeforeResponse: true,
      });
  // Socket Mode acknowledges an envelope only after the listener has stored it, as HTTP mode does.
  const socketReceiver = socketMode ? new SocketModeReceiver({ appToken: config.slack.appToken!, logger: log, slackApiUrl: config.slack.apiUrl, ...socketTimings }) : undefined;
  const receiver = httpReceiver ?? socketReceiver!;

  const app = new App({
    token: config.slack.botToken,
    receiver,
    logger: log,
    clientOptions: config.slack.apiUrl ? { slackApiUrl: config.slack.apiUrl } : {},
    // Our own messages come back as events; they are not part of the record.
    ignoreSelf: true,
    // No listener uses conversation state; Bolt's default store would run on every request.
    convoStore: false,
    // auth.test runs in start() (a bad token stops start-up) instead of as an unawaited call.
    deferInitialization: true,
  });
  const listenerContext = context(guardSlackClient(app.client, logger));
  // Bolt hands each listener a client of its own (one per token, pooled), not app.client. Listeners
  // use ctx.client, but whatever posts through the one Bolt hands out is guarded the same way: no
  // broadcasts, nothing past Slack's limits (./text.ts). Guarding a client is done once per client.
  app.use(async ({ client, next }) => {
    guardSlackClient(client, logger);
    await next();
  });
  registerListeners(app, listenerContext);

  const allRoutes: Route[] = [healthRoute(isDatabaseUp, socketReceiver), ...routes];
  if (httpReceiver) allRoutes.push({ method: "POST", path: "/slack/events", handle: checkedSlackEvents(httpReceiver, config.slack.signingSecret!) });
  let server: RunningServer | undefined;

  return {
    app,
    context: listenerContext,
    async start() {
      // auth.test checks the token. Slack's client retries an unreachable API for half an hour;
      // start-up should say so within a bounded time instead (a wrong token fails at once).
      const slackUrl = config.slack.apiUrl ?? "https://slack.com/api/";
      await within(app.init(), SLACK_INIT_TIMEOUT_MS, `Slack's Web API did not answer auth.test within ${SLACK_INIT_TIMEOUT_MS / 1000} s: check the network path to ${slackUrl} and SLACK_BOT_TOKEN.`);
      if (socketMode) await app.start();
      server = await startHttpServer(allRoutes, config.port, (error, req) => logger.error({ err: error, path: req.url }, "HTTP request failed"));
      return server.port;
    },
    async stop() {
      await server?.close();
      if (socketMode) await app.stop();
    },
  };
}
