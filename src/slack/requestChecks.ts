// Checks on every request to POST /slack/events before Bolt sees it. Bolt verifies the signature,
// but it accepts a timestamp in the future, and even `Infinity` (a signed request that is valid
// forever, so replayable forever), and it throws outside any handler on a signed body that parses
// to JSON `null`, leaving the request unanswered. Slack's own rule is "within five minutes of now";
// we hold it in both directions, verify the signature ourselves, and answer anything that is not
// the JSON object or form Slack sends with 400 at once. The buffered body is handed to Bolt, which
// verifies the signature once more (it reads `rawBody` when it is set).
import type { IncomingMessage, ServerResponse } from "node:http";
import { isValidSlackRequest, type HTTPReceiver } from "@slack/bolt";
import { BodyTooLarge, readBody } from "../http/server.js";

/** Slack's limit on how far a request's timestamp may be from now, either way. */
const MAX_SKEW_SECONDS = 5 * 60;
/** The body limit Bolt uses too; Slack's payloads are far smaller. */
export const MAX_BODY_BYTES = 4 * 1024 * 1024;

const header = (req: IncomingMessage, name: string) => {
  const value = req.headers[name];
  return typeof value === "string" ? value : undefined;
};

/**
 * Text that can only parse to a JSON object (or not parse at all, which Bolt answers with 400).
 * Looking at the first character spares parsing every event twice; `null`, arrays, strings and
 * numbers, which Bolt would choke on, are refused here.
 */
const OBJECT_TEXT = /^\s*\{/;

/** True when the body has the shape Slack sends: a JSON object, or a form (with a JSON object in `payload` if there is one). */
function hasSlackShape(body: string, contentType: string | undefined): boolean {
  if (contentType?.startsWith("application/x-www-form-urlencoded")) {
    const payload = new URLSearchParams(body).get("payload");
    return payload === null || OBJECT_TEXT.test(payload);
  }
  return Boolean(contentType?.startsWith("application/json")) && OBJECT_TEXT.test(body);
}

function refuse(res: ServerResponse, status: number) {
  res.writeHead(status);
  res.end();
}

/**
 * The handler for POST /slack/events: the checks above, then Bolt's own receiver.
 * `onSignatureMismatch` hears of requests that look like Slack's but are not signed with our secret.
 */
export function checkedSlackEvents(receiver: HTTPReceiver, signingSecret: string, now: () => number = Date.now, onSignatureMismatch: () => void = () => {}) {
  return async (req: IncomingMessage, res: ServerResponse) => {
    let body: Buffer;
    try {
      body = await readBody(req, MAX_BODY_BYTES);
    } catch (error) {
      if (error instanceof BodyTooLarge) return refuse(res, 413);
      throw error;
    }
    const text = body.toString("utf8");
    if (header(req, "content-type")?.startsWith("application/x-www-form-urlencoded") && new URLSearchParams(text).get("ssl_check") === "1") {
      // Slack's certificate check when a Request URL is saved: answered, and nothing else is read from it.
      return refuse(res, 200);
    }
    const timestamp = header(req, "x-slack-request-timestamp");
    const signature = header(req, "x-slack-signature");
    // Digits only: rejects "Infinity", "1e12", negative and fractional values before any arithmetic.
    if (!timestamp || !/^\d{1,12}$/.test(timestamp) || Math.abs(now() / 1000 - Number(timestamp)) > MAX_SKEW_SECONDS || !signature) {
      return refuse(res, 401);
    }
    const signed = isValidSlackRequest({
      signingSecret,
      body: text,
      headers: { "x-slack-signature": signature, "x-slack-request-timestamp": Number(timestamp) },
      nowMilliseconds: now(),
    });
    if (!signed) {
      onSignatureMismatch();
      return refuse(res, 401);
    }
    if (!hasSlackShape(text, header(req, "content-type"))) return refuse(res, 400);
    (req as IncomingMessage & { rawBody?: Buffer }).rawBody = body;
    receiver.requestListener(req, res);
  };
}
