// Builds the Bolt app: the HTTP receiver (every Slack request on POST /slack/events, signatures
// always verified) or Socket Mode, `/health` on both, and our listeners.
import type { Server } from "node:http";
import { App, HTTPReceiver, SocketModeReceiver, type CustomRoute } from "@slack/bolt";
import type { WebClient } from "@slack/web-api";
import type { Config } from "../config/index.js";
import { boltLogger, type Logger } from "../log.js";
import type { ListenerContext } from "./context.js";
import { registerListeners } from "./listeners/index.js";

const SLACK_INIT_TIMEOUT_MS = 30_000;

export interface SlackRuntime {
  app: App;
  context: ListenerContext;
  /** Starts listening; resolves with the port actually bound (useful with PORT=0). */
  start(): Promise<number>;
  stop(): Promise<void>;
}

export interface SlackAppOptions {
  config: Config;
  logger: Logger;
  /** Builds what listeners need from the app's Web API client (the client exists only once the app does). */
  context: (client: WebClient) => ListenerContext;
  /** Answers /health: true when the database answers. */
  isHealthy(): Promise<boolean>;
}

function healthRoute(isHealthy: () => Promise<boolean>): CustomRoute {
  return {
    path: "/health",
    method: ["GET"],
    handler: (_req, res) => {
      void isHealthy()
        .catch(() => false)
        .then((ok) => {
          res.writeHead(ok ? 200 : 503, { "content-type": "application/json" });
          res.end(JSON.stringify({ status: ok ? "ok" : "unavailable", database: ok ? "up" : "down" }));
        });
    },
  };
}

export function buildSlackApp({ config, logger, context, isHealthy }: SlackAppOptions): SlackRuntime {
  const log = boltLogger(logger);
  const customRoutes = [healthRoute(isHealthy)];
  const socketMode = Boolean(config.slack.appToken);
  const receiver = socketMode
    ? new SocketModeReceiver({ appToken: config.slack.appToken!, logger: log, customRoutes, installerOptions: { port: config.port } })
    : new HTTPReceiver({
        signingSecret: config.slack.signingSecret!,
        endpoints: "/slack/events",
        customRoutes,
        logger: log,
        // Answer Slack only once the listener has finished, so an event we failed to store is
        // answered 500 and redelivered instead of acknowledged and lost. Commands ack first
        // and continue in the background (see listeners/commands).
        processBeforeResponse: true,
      });

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
  const listenerContext = context(app.client);
  registerListeners(app, listenerContext);

  return {
    app,
    context: listenerContext,
    async start() {
      // auth.test checks the token. Slack's client retries an unreachable API for half an hour;
      // start-up should say so within a bounded time instead (a wrong token fails at once).
      let timer: NodeJS.Timeout | undefined;
      const unreachable = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`Slack's Web API did not answer auth.test within ${SLACK_INIT_TIMEOUT_MS / 1000} s: check the network path to ${config.slack.apiUrl ?? "https://slack.com/api/"} and SLACK_BOT_TOKEN.`)), SLACK_INIT_TIMEOUT_MS);
      });
      try {
        await Promise.race([app.init(), unreachable]);
      } finally {
        clearTimeout(timer);
      }
      const started = (await app.start(config.port)) as unknown;
      if (socketMode) return config.port;
      const address = (started as Server).address();
      return typeof address === "object" && address ? address.port : config.port;
    },
    async stop() {
      await app.stop();
    },
  };
}
