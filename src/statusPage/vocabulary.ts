// The words the public status page and its feeds use, in one place: statuses as customers read
// them, and severity as Statuspage's "impact" (sev1 critical ... sev4 none).
import type { IncidentStatus } from "../incidents/model.js";
import type { Impact } from "../incidents/publicStatus.js";

const IMPACT_ORDER: Impact[] = ["none", "minor", "major", "critical"];
export const worstImpact = (impacts: Impact[]): Impact =>
  impacts.reduce<Impact>((worst, i) => (IMPACT_ORDER.indexOf(i) > IMPACT_ORDER.indexOf(worst) ? i : worst), "none");

export const STATUS_WORDS: Record<IncidentStatus, string> = {
  investigating: "Investigating",
  identified: "Identified",
  monitoring: "Monitoring",
  resolved: "Resolved",
};

export const IMPACT_WORDS: Record<Impact, string> = {
  none: "No impact",
  minor: "Minor impact",
  major: "Major impact",
  critical: "Critical impact",
};

/** Statuspage's own descriptions of its page indicator. */
export const INDICATOR_DESCRIPTIONS: Record<Impact, string> = {
  none: "All Systems Operational",
  minor: "Minor Service Outage",
  major: "Partial System Outage",
  critical: "Major System Outage",
};
