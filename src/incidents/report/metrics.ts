// The report's metrics (time to detect, declare, mitigate, resolve), from the incident's own times,
// and how the report lists them.
import type { Incident } from "../model.js";
import { renderDuration } from "./duration.js";

export interface ReportMetrics {
  /** impactStart -> detected */
  timeToDetectMs: number | null;
  /** detected (or impactStart) -> declared */
  timeToDeclareMs: number | null;
  /** impactStart -> impactEnd */
  timeToMitigateMs: number | null;
  /** declared -> resolved */
  timeToResolveMs: number | null;
  /** The impact window, or declared -> resolved when the window is not fully recorded. */
  durationMs: number | null;
}

const METRIC_LABELS: ReadonlyArray<[keyof ReportMetrics, string]> = [
  ["timeToDetectMs", "Time to detect (impact start → detected)"],
  ["timeToDeclareMs", "Time to declare (detected → declared)"],
  ["timeToMitigateMs", "Time to mitigate (impact start → impact end)"],
  ["timeToResolveMs", "Time to resolve (declared → resolved)"],
  ["durationMs", "Duration"],
];

export function computeMetrics(incident: Incident): ReportMetrics {
  const span = (from: Date | null, to: Date | null) => (from && to ? to.getTime() - from.getTime() : null);
  const impactWindow = span(incident.impactStartedAt, incident.impactEndedAt);
  return {
    timeToDetectMs: span(incident.impactStartedAt, incident.detectedAt),
    timeToDeclareMs: span(incident.detectedAt ?? incident.impactStartedAt, incident.declaredAt),
    timeToMitigateMs: impactWindow,
    timeToResolveMs: span(incident.declaredAt, incident.resolvedAt),
    durationMs: impactWindow ?? span(incident.declaredAt, incident.resolvedAt),
  };
}

export function metricsMarkdown(metrics: ReportMetrics): string {
  return METRIC_LABELS.map(([key, label]) => {
    const value = metrics[key];
    return `- ${label}: ${value === null ? "not recorded" : renderDuration(value)}`;
  }).join("\n");
}
