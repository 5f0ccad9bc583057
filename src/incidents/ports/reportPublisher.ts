// Where published reports go (src/github/reportPublisher.ts implements it).
export interface ReportPublisher {
  /** Creates or updates the file; returns a link to it (or to the pull request). */
  publish(file: { path: string; content: string; message: string }): Promise<{ url: string }>;
}
