/** check's output formats (--format, --report FORMAT=FILE), in the order help lists them. */
export const FORMATS = ['text', 'json', 'ktap', 'junit', 'github'] as const;
export type Format = (typeof FORMATS)[number];

/** `check --report FORMAT=FILE`: a report written to FILE besides the one on stdout. */
export interface ReportFile { format: Format; file: string }
