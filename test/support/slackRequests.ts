// Requests signed exactly as Slack signs them: `v0=` + HMAC-SHA256 of `v0:{timestamp}:{body}`
// with the signing secret, in x-slack-signature / x-slack-request-timestamp.
import { createHmac, randomUUID } from "node:crypto";

export const SIGNING_SECRET = "test-signing-secret-0123456789abcdef";

export function signature(body: string, timestamp: number, secret = SIGNING_SECRET) {
  return `v0=${createHmac("sha256", secret).update(`v0:${timestamp}:${body}`).digest("hex")}`;
}

export interface SendOptions {
  retryNum?: number;
  retryReason?: string;
  /** Seconds since the epoch to sign with (default: now). */
  timestamp?: number;
  secret?: string;
  /** Send this signature instead of the right one. */
  forgedSignature?: string;
  /** Gives up waiting for the answer (a request must be answered within a bound). */
  signal?: AbortSignal;
}

export async function sendSigned(url: string, body: string, contentType: string, options: SendOptions = {}): Promise<Response> {
  const timestamp = options.timestamp ?? Math.floor(Date.now() / 1000);
  const headers: Record<string, string> = {
    "content-type": contentType,
    "x-slack-request-timestamp": String(timestamp),
    "x-slack-signature": options.forgedSignature ?? signature(body, timestamp, options.secret),
  };
  if (options.retryNum !== undefined) {
    headers["x-slack-retry-num"] = String(options.retryNum);
    headers["x-slack-retry-reason"] = options.retryReason ?? "http_timeout";
  }
  return fetch(url, { method: "POST", headers, body, signal: options.signal });
}

export interface SlashCommandInput {
  command?: string;
  text: string;
  user_id?: string;
  user_name?: string;
  channel_id?: string;
  channel_name?: string;
  response_url: string;
  trigger_id?: string;
}

export function slashCommandBody(input: SlashCommandInput): string {
  return new URLSearchParams({
    token: "legacy-verification-token",
    team_id: "T0ACME",
    team_domain: "acme",
    channel_id: input.channel_id ?? "CGENERAL",
    channel_name: input.channel_name ?? "general",
    user_id: input.user_id ?? "UALICE",
    user_name: input.user_name ?? "alice",
    command: input.command ?? "/incident",
    text: input.text,
    api_app_id: "A0BOT",
    is_enterprise_install: "false",
    response_url: input.response_url,
    trigger_id: input.trigger_id ?? `${Date.now()}.${randomUUID()}`,
  }).toString();
}

export function eventBody(event: Record<string, unknown>, eventId = `Ev${randomUUID().replace(/-/g, "").slice(0, 12)}`): string {
  return JSON.stringify({
    token: "legacy-verification-token",
    team_id: "T0ACME",
    api_app_id: "A0BOT",
    event,
    type: "event_callback",
    event_id: eventId,
    event_time: Math.floor(Date.now() / 1000),
    authorizations: [{ team_id: "T0ACME", user_id: "UBOT", is_bot: true }],
  });
}

export function interactionBody(payload: Record<string, unknown>): string {
  return new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
}
