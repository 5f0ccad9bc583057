// HTTP mode's receiver: what Slack sends to POST /slack/events arrives here already checked and
// parsed (src/slack/requestChecks.ts verifies the signature on the body's bytes and parses it once),
// and is handed to Bolt's app.processEvent as a ReceiverEvent. Bolt's own HTTPReceiver would read
// the body again, verify the signature a second time and parse the JSON a second time on every
// request; in the ingest benchmark that was about a fifth of the server's CPU per message.
//
// What it keeps of Bolt's HTTPReceiver (with processBeforeResponse, which the bot always uses): the
// answer waits until the listeners have finished, so an event we failed to store is answered 500 and
// Slack delivers it again instead of it being acknowledged and lost; url_verification is answered
// with its challenge; a request nothing acknowledges within 3 s is answered 404; an authorization
// failure is 401; a second ack() throws.
import type { IncomingMessage, ServerResponse } from "node:http";
import { AuthorizationError, ReceiverMultipleAckError, type App, type Logger, type Receiver } from "@slack/bolt";

/** Bolt's default: a listener that has not called ack() by then never will. */
const UNACKNOWLEDGED_AFTER_MS = 3001;

/** A request body that passed requestChecks.ts: a JSON object (an event, or a form's payload) or the form itself. */
export type SlackBody = Record<string, unknown>;

const headerValue = (req: IncomingMessage, name: string): string | undefined => {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
};

/** The answer a listener gave ack(), as Bolt's HTTPReceiver sends it. */
function sendAnswer(res: ServerResponse, answer: unknown) {
  if (!answer) {
    res.writeHead(200);
    res.end();
  } else if (typeof answer === "string") {
    res.writeHead(200);
    res.end(answer);
  } else {
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify(answer));
  }
}

export class VerifiedHttpReceiver implements Receiver {
  private app: App | undefined;

  constructor(
    private readonly logger: Logger,
    private readonly unacknowledgedAfterMs = UNACKNOWLEDGED_AFTER_MS,
  ) {}

  init(app: App): void {
    this.app = app;
  }

  /** The HTTP server is the bot's own (src/http/server.ts): nothing to start or stop here. */
  start(): Promise<void> {
    return Promise.resolve();
  }

  stop(): Promise<void> {
    return Promise.resolve();
  }

  /** Handles one request whose signature was verified and whose body was parsed (requestChecks.ts). */
  async handle(req: IncomingMessage, res: ServerResponse, body: SlackBody): Promise<void> {
    const app = this.app;
    if (!app) throw new Error("the receiver is not attached to an app");
    if (body.type === "url_verification") {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ challenge: body.challenge }));
      return;
    }
    let acknowledged = false;
    /** What ack() was given ("" for nothing); undefined until it is called. */
    let answer: unknown;
    const unacknowledged = setTimeout(() => {
      if (acknowledged) return;
      this.logger.error("An incoming event was not acknowledged within 3 seconds. Ensure that the ack() argument is called in a listener.");
      if (!res.headersSent) {
        res.writeHead(404);
        res.end();
      }
    }, this.unacknowledgedAfterMs);
    // Bolt's AckFn returns a promise; nothing here waits, so a resolved one.
    const ack = (response?: unknown) => {
      if (acknowledged) return Promise.reject(new ReceiverMultipleAckError());
      acknowledged = true;
      clearTimeout(unacknowledged);
      answer = response || "";
      return Promise.resolve();
    };
    const retryNum = headerValue(req, "x-slack-retry-num");
    try {
      await app.processEvent({
        body,
        ack,
        retryNum: retryNum === undefined ? undefined : Number.parseInt(retryNum, 10),
        retryReason: headerValue(req, "x-slack-retry-reason"),
        customProperties: {},
      });
      if (answer !== undefined && !res.headersSent) sendAnswer(res, answer);
    } catch (error) {
      clearTimeout(unacknowledged);
      if (res.headersSent) {
        this.logger.error("An unhandled error occurred after ack() called in a listener");
        this.logger.debug(`Error details: ${String(error)}`);
        return;
      }
      if (error instanceof AuthorizationError) {
        res.writeHead(401);
        res.end();
        return;
      }
      this.logger.error("An unhandled error occurred while Bolt processed an event");
      this.logger.debug(`Error details: ${String(error)}`);
      res.writeHead(500);
      res.end();
    }
  }
}
