// Checks on every request to POST /slack/events before Bolt sees it. Bolt verifies the signature,
// but it accepts a timestamp in the future, and even `Infinity` (a signed request that is valid
// forever, so replayable forever), and it throws outside any handler on a signed body that parses
// to JSON `null`, leaving the request unanswered. Slack's own rule is "within five minutes of now";
// we hold it in both directions, verify the signature ourselves, and answer anything that is not
// the JSON object or form Slack sends with 400 at once. The body is parsed here, once, and handed
// to Bolt parsed (src/slack/httpReceiver.ts): Bolt's HTTPReceiver would verify the signature and
// parse the JSON a second time on every request.
//
// The endpoint is public, and a body can be 4 MiB: read before anyone is known, bodies are what an
// unauthenticated client can make the bot hold (30 unsigned 4 MiB bodies took it from 180 to 290
// MiB). So nothing is read until the headers could be Slack's: a fresh timestamp and a well-formed
// signature, else 401 without reading a byte. And the bytes of bodies still unverified are capped in
// total (UnverifiedBodies): past the cap a request is answered 503 with Retry-After, unread. Large
// bodies (Slack's are a few KiB) have the smaller share of the cap, so a flood of big forged bodies
// leaves room for Slack's own requests, which keep being answered.
import type { IncomingMessage, ServerResponse } from "node:http";
import { createHmac, timingSafeEqual } from "node:crypto";
import { parse as parseForm } from "node:querystring";
import { BodyTooLarge, readBody, UnverifiedBodies, type UnverifiedBodyLimits } from "../http/server.js";
import type { SlackBody, VerifiedHttpReceiver } from "./httpReceiver.js";

/** Slack's limit on how far a request's timestamp may be from now, either way. */
const MAX_SKEW_SECONDS = 5 * 60;
/** The body limit Bolt uses too; Slack's payloads are far smaller. */
export const MAX_BODY_BYTES = 4 * 1024 * 1024;
/** Slack's signature: version 0, an HMAC-SHA256 in lower-case hex. */
const SIGNATURE = /^v0=[0-9a-f]{64}$/;

/**
 * Slack's requests are a few KiB (a 40,000-character message with its blocks stays well under
 * 256 KiB). 32 MiB of unverified bodies in all, 16 MiB of it for larger ones (four at the maximum
 * size): with the copies reading makes, a few times that at most, inside the bot's 400 MB budget
 * (bench/unverifiedFlood.ts measures it), and room for hundreds of Slack's own requests.
 */
export const UNVERIFIED_BODY_LIMITS: UnverifiedBodyLimits = {
  smallBodyBytes: 256 * 1024,
  totalBytes: 32 * 1024 * 1024,
  largeBytes: 16 * 1024 * 1024,
};

const header = (req: IncomingMessage, name: string) => {
  const value = req.headers[name];
  return typeof value === "string" ? value : undefined;
};

const FORM = "application/x-www-form-urlencoded";

/** JSON text that parses to an object (not `null`, an array, a string or a number, which Bolt would choke on). */
function jsonObject(text: string): SlackBody | null {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as SlackBody) : null;
}

/**
 * The body as Bolt's HTTPReceiver parses it, or null when it does not have the shape Slack sends
 * (answered 400, as Bolt answers a body it cannot parse): a JSON object, or a form (its `payload`
 * a JSON object when there is one). As in Bolt, a form is parsed as one only under exactly Slack's
 * content type, and with node:querystring.
 */
export function parseSlackBody(text: string, contentType: string | undefined): SlackBody | null {
  if (contentType === FORM) {
    const form = parseForm(text);
    const { payload } = form;
    if (payload === undefined) return form;
    return typeof payload === "string" ? jsonObject(payload) : null;
  }
  if (contentType?.startsWith(FORM)) return null;
  return contentType?.startsWith("application/json") ? jsonObject(text) : null;
}

function refuse(res: ServerResponse, status: number, headers: Record<string, string> = {}) {
  res.writeHead(status, headers);
  res.end();
}

/**
 * Refuses a request whose body was not read. The connection closes after the answer: reading on
 * would take in the body after all, and what comes after it on that connection cannot be told apart.
 */
const refuseUnread = (res: ServerResponse, status: number, headers: Record<string, string> = {}) =>
  refuse(res, status, { ...headers, connection: "close" });

/**
 * Slack's signature (`v0=` + HMAC-SHA256 of `v0:{timestamp}:{body}`), checked on the body's bytes:
 * Bolt's isValidSlackRequest takes the body as text and joins it into the signed string, three
 * copies of a 4 MiB body that nobody has vouched for yet. This is the only check: Bolt is handed
 * the body verified and parsed.
 * The timestamp's freshness and the signature's form were checked before the body was read.
 */
function signedBySlack(signingSecret: string, timestamp: string, signature: string, body: Buffer): boolean {
  const expected = createHmac("sha256", signingSecret).update(`v0:${timestamp}:`).update(body).digest();
  const given = Buffer.from(signature.slice("v0=".length), "hex");
  return given.length === expected.length && timingSafeEqual(given, expected);
}

export interface RequestCheckOptions {
  now?: () => number;
  /** Hears of requests that look like Slack's (fresh timestamp, well-formed signature) but are not signed with our secret. */
  onSignatureMismatch?: () => void;
  /** The cap on bodies read before their signature is checked. */
  unverified?: UnverifiedBodies;
}

/** The handler for POST /slack/events: the checks above, then the receiver that hands the parsed body to Bolt. */
export function checkedSlackEvents(receiver: VerifiedHttpReceiver, signingSecret: string, options: RequestCheckOptions = {}) {
  const { now = Date.now, onSignatureMismatch = () => {}, unverified = new UnverifiedBodies(UNVERIFIED_BODY_LIMITS) } = options;
  return async (req: IncomingMessage, res: ServerResponse) => {
    const timestamp = header(req, "x-slack-request-timestamp");
    const signature = header(req, "x-slack-signature");
    // Digits only: rejects "Infinity", "1e12", negative and fractional values before any arithmetic.
    const fresh = Boolean(timestamp && /^\d{1,12}$/.test(timestamp) && Math.abs(now() / 1000 - Number(timestamp)) <= MAX_SKEW_SECONDS);
    if (!timestamp || !fresh || !signature || !SIGNATURE.test(signature)) {
      return refuseUnread(res, 401);
    }
    // Slack sends Content-Length; a body without one (chunked) is reserved at the largest size.
    const declared = req.headers["content-length"] === undefined ? MAX_BODY_BYTES : Number(req.headers["content-length"]);
    if (!(declared <= MAX_BODY_BYTES)) return refuseUnread(res, 413);
    const release = unverified.reserve(declared);
    // 503, not 429: the limit is the bot's, shared by every sender, not a rate this client exceeded.
    // Slack retries events it could not deliver; Retry-After says when there is room again.
    if (!release) return refuseUnread(res, 503, { "retry-after": "1" });
    let body: Buffer;
    try {
      body = await readBody(req, MAX_BODY_BYTES);
    } catch (error) {
      release();
      if (error instanceof BodyTooLarge) return refuse(res, 413);
      // The client went away before its body arrived: nobody to answer, nothing to report.
      if (req.destroyed) return;
      throw error;
    }
    // Verified or not, this body no longer counts against the cap: a signed one is Slack's.
    const signed = signedBySlack(signingSecret, timestamp, signature, body);
    release();
    if (!signed) {
      onSignatureMismatch();
      return refuse(res, 401);
    }
    const text = body.toString("utf8");
    if (
      header(req, "content-type")?.startsWith("application/x-www-form-urlencoded") &&
      new URLSearchParams(text).get("ssl_check") === "1"
    ) {
      // Slack's certificate check when a Request URL is saved (signed like every request Slack sends):
      // answered, and nothing else is read from it.
      return refuse(res, 200);
    }
    const parsed = parseSlackBody(text, header(req, "content-type"));
    if (!parsed) return refuse(res, 400);
    return receiver.handle(req, res, parsed);
  };
}
