// Which incident a Slack channel belongs to, cached: every captured message asks it first.
import type { IncidentDeps } from "./deps.js";
import type { Incident } from "./model.js";

/**
 * Which incident a channel belongs to. Incidents are cached for good (a channel never changes
 * incident); channels that are not incidents are remembered briefly, so chatter elsewhere costs
 * no query, while a channel declared a moment ago by another replica is still found soon after.
 */
export class IncidentLocator {
  private readonly incidents = new Map<string, string>();
  private readonly notIncidents = new Map<string, number>();

  constructor(
    private readonly deps: Pick<IncidentDeps, "incidents">,
    private readonly negativeTtlMs = 10_000,
  ) {}

  async incidentIdFor(channelId: string, now = Date.now()): Promise<string | null> {
    const known = this.incidents.get(channelId);
    if (known) return known;
    const until = this.notIncidents.get(channelId);
    if (until !== undefined && until > now) return null;
    const incident = await this.deps.incidents.findIncidentByChannel(channelId);
    if (incident) {
      this.incidents.set(channelId, incident.id);
      this.notIncidents.delete(channelId);
      return incident.id;
    }
    if (this.notIncidents.size > 10_000) this.notIncidents.clear();
    this.notIncidents.set(channelId, now + this.negativeTtlMs);
    return null;
  }

  remember(incident: Incident) {
    this.incidents.set(incident.channelId, incident.id);
    this.notIncidents.delete(incident.channelId);
  }
}
