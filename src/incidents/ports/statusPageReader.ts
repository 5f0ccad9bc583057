// The public status page's read (src/store/statusPageQueries.ts implements it).
import type { StatusPageSnapshot } from "../publicStatus.js";

/** What the public status page may show (src/store/statusPageQueries.ts), read at most every few seconds. */
export interface StatusPageReader {
  snapshot(): Promise<StatusPageSnapshot>;
}
