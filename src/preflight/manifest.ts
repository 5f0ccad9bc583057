// The Slack app manifest (manifest.json) is the source of truth for the scopes the bot needs:
// adding one there is what makes start-up and doctor ask for it. What each scope is for is said
// here, so a missing scope is reported as the feature that will not work.
import { readFileSync } from "node:fs";

const MANIFEST_PATH = new URL("../../manifest.json", import.meta.url);

/** What stops working without each scope the manifest asks for. */
export const SCOPE_USES: Record<string, string> = {
  commands: "the /incident and /resolve commands and the shortcuts",
  "channels:manage": "declaring incidents (creating, inviting to and archiving channels), Join and INVITE_ON_DECLARE",
  "channels:history": "recording messages and catching up after a restart",
  "channels:read": "the read-in for people who join an incident channel (member_joined_channel) and doctor's channel checks",
  "chat:write": "every message the bot posts",
  "pins:write": "pinning the live header",
  "pins:read": "Slack's own pins as highlights (pin_added, pin_removed)",
  "reactions:read": ":pushpin: highlights and :no_entry_sign: exclusions",
  "users:read": "people's names in reports and @someone in roles",
  "usergroups:read": "user groups in INCIDENT_ADMINS and INVITE_ON_DECLARE",
  "files:write": "the report as a Markdown file",
  "groups:write": "private incidents (creating private channels and inviting into them)",
  "groups:history": "recording messages in private incidents' channels",
  "groups:read": "who may see private incidents in lists, and the read-in in private channels",
};

export interface Manifest {
  botScopes: string[];
  botEvents: string[];
}

let cached: Manifest | undefined;

/** manifest.json's bot scopes and events (read once). */
export function readManifest(): Manifest {
  if (cached) return cached;
  const json = JSON.parse(readFileSync(MANIFEST_PATH, "utf8")) as {
    oauth_config?: { scopes?: { bot?: string[] } };
    settings?: { event_subscriptions?: { bot_events?: string[] } };
  };
  cached = { botScopes: json.oauth_config?.scopes?.bot ?? [], botEvents: json.settings?.event_subscriptions?.bot_events ?? [] };
  return cached;
}

/** "pins:write (pinning the live header)"; a scope added to the manifest without a use named here reads as itself. */
export const describeScope = (scope: string) => (SCOPE_USES[scope] ? `${scope} (${SCOPE_USES[scope]})` : scope);
