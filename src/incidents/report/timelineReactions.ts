// People choose what the report's timeline shows from Slack itself, by reacting to a message:
// :pushpin: puts it in, :no_entry_sign: keeps it out (excluded wins, whoever pinned it). Each
// person's reaction is kept, so the message changes only when the last one is removed.
import type { IncidentDeps } from "../deps.js";
import type { UserId } from "../model.js";

/** Reaction names as Slack sends them (without colons). */
export const TIMELINE_REACTIONS = { pin: "pushpin", exclude: "no_entry_sign" } as const;

export const excludeFromTimeline = (
  deps: Pick<IncidentDeps, "incidents">,
  incidentId: string,
  ts: string,
  userId: UserId,
  excluded: boolean,
) => deps.incidents.setExcluded(incidentId, ts, userId, excluded);
