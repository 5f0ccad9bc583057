// What every section renderer of the report needs (./compile.ts builds it once per report, and
// ./sections.ts reads it), and the two ways they all write people and people's text.
import type { Incident, TimelineEntry, UserId } from "../model.js";
import type { LocalTime } from "../time/wallClock.js";
import { type SlackNames, slackTextToMarkdown, userName } from "./slackMarkdown.js";

export interface PlacedEntry {
  entry: TimelineEntry;
  local: LocalTime;
}

/** What every renderer needs; built once per report. */
export interface Context {
  incident: Incident;
  timeZone: string;
  names: SlackNames;
  /** The severity it was declared with: the first change's "from", else the current one. */
  declaredSeverity: string;
  rolesByUser: Map<UserId, string[]>;
  /** https://team.slack.com/archives/C123, when the team URL is known. */
  channelUrl: string | null;
  abbreviationByOffset: Map<number, string>;
  /** Entry times carry their zone when the report spans more than one abbreviation. */
  showZoneOnEntries: boolean;
}

export const mention = (names: SlackNames, userId: UserId) => `@${userName(names, userId)}`;

export function textMarkdown(raw: string, names: SlackNames): string | null {
  const text = slackTextToMarkdown(raw, names).lines.join("\n").trim();
  return text || null;
}
