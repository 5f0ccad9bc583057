// The names a report shows instead of Slack ids: everyone the record mentions or is authored by
// (mentionedIds), and the channels it links to. In the bot they come from the channel adapter,
// which keeps them in the store; the CLI cannot ask Slack, so it reads what the store kept.
import type { IncidentDeps } from "../deps.js";
import type { IncidentRecord } from "../model.js";
import { type NameCache, preferredName } from "../ports/peopleStore.js";
import type { IncidentStore } from "../ports/incidentStore.js";
import { mentionedIds } from "./mentions.js";

export interface ReportNames {
  userNames: Record<string, string>;
  channelNames: Record<string, string>;
}

/** Incident channels are named by the bot, so the store knows them; the incident's own first. */
async function channelNames(store: Pick<IncidentStore, "channelNames">, record: IncidentRecord, mentioned: string[]) {
  const ids = mentioned.filter((id) => id !== record.incident.channelId);
  const names = ids.length ? await store.channelNames(ids) : {};
  return { [record.incident.channelId]: record.incident.channelName, ...names };
}

/** Names for a report compiled in the bot: cached, and looked up in Slack when not known or old. */
export async function reportNames(deps: Pick<IncidentDeps, "channel" | "incidents">, record: IncidentRecord): Promise<ReportNames> {
  const ids = mentionedIds(record);
  const [userNames, channels] = await Promise.all([deps.channel.userNames(ids.users), channelNames(deps.incidents, record, ids.channels)]);
  return { userNames, channelNames: channels };
}

/**
 * Every name customers must not see for the people of a record: the names a report shows, and each
 * person's display and real names from the cache (which `channel.userNames` keeps filled). A real
 * name must go whole: "Dave Diaz" replaced only as "Dave" would leave "the team Diaz".
 */
export async function namesToHide(deps: Pick<IncidentDeps, "people">, userNames: Record<string, string>): Promise<string[]> {
  const ids = Object.keys(userNames);
  const cached = ids.length ? await deps.people.knownNames(ids) : {};
  const names = new Set(Object.values(userNames));
  for (const person of Object.values(cached)) {
    for (const name of [person.displayName, person.realName]) if (name?.trim()) names.add(name.trim());
  }
  return [...names];
}

/** Names for a report compiled without Slack (the CLI): only what the store has kept, however old. */
export async function cachedReportNames(
  stores: { incidents: Pick<IncidentStore, "channelNames">; people: NameCache },
  record: IncidentRecord,
): Promise<ReportNames> {
  const ids = mentionedIds(record);
  const known = await stores.people.knownNames(ids.users);
  const userNames: Record<string, string> = {};
  for (const [id, names] of Object.entries(known)) {
    const name = preferredName(names);
    if (name) userNames[id] = name;
  }
  return { userNames, channelNames: await channelNames(stores.incidents, record, ids.channels) };
}
