// The people and channels a record mentions, so their names can be looked up (and cached) before
// the report is compiled, which does no I/O.
import { type IncidentRecord, ROLES } from "../model.js";
import { changeOf } from "../entryFacts.js";

const USER_MENTION = /<@([A-Z0-9]+)(?:\|[^<>]*)?>/g;
const CHANNEL_MENTION = /<#([A-Z0-9]+)(?:\|[^<>]*)?>/g;

/**
 * Every Slack user and channel id the record mentions or is authored by, in first-seen order, so a
 * caller can look their names up once (users: U… and Enterprise Grid W… ids alike). People's own
 * report sections are Markdown used verbatim, so ids in them are not listed.
 */
export function mentionedIds(record: IncidentRecord): { users: string[]; channels: string[] } {
  const users = new Set<string>();
  const channels = new Set<string>();
  const addUser = (id: string | null | undefined) => id && users.add(id);
  const scan = (text: string | null | undefined) => {
    if (!text) return;
    for (const match of text.matchAll(USER_MENTION)) users.add(match[1]!);
    for (const match of text.matchAll(CHANNEL_MENTION)) channels.add(match[1]!);
  };
  const { incident } = record;
  addUser(incident.declaredBy);
  for (const role of ROLES) addUser(incident.roles[role]);
  scan(incident.title);
  scan(incident.summary);
  scan(incident.resolution);
  for (const entry of record.entries) {
    if (entry.deleted) continue;
    addUser(entry.authorId);
    // Role changes and owner changes hold user ids as their facts; so do invitations and sources.
    const change = changeOf(entry);
    if (change?.kind === "role" || (change?.kind === "action" && change.data.field === "action_item_owner")) {
      addUser(change.data.from);
      addUser(change.data.to);
    }
    if (change?.kind === "action" && change.data.field === "action_item") addUser(change.data.ownerId);
    for (const id of entry.data?.users ?? []) addUser(id);
    addUser(entry.data?.source?.authorId);
    scan(entry.text);
    // A change's facts hold the words people typed (a summary, an update, an item's text, a comment).
    for (const value of Object.values(entry.data ?? {})) if (typeof value === "string") scan(value);
  }
  for (const item of record.actionItems) {
    addUser(item.ownerId);
    addUser(item.createdBy);
    scan(item.text);
  }
  return { users: [...users], channels: [...channels] };
}
