// Types for scripts/gate-step.mjs (a plain script gate-series.sh runs; the tests import it).
export interface StepOutcome { verdict: 'pass' | 'fail' | 'error'; codes: string[]; detail: string; go: boolean }
export function stepOutcome(consoleLog: string | undefined, checkJson: string | undefined, qrc: number): StepOutcome;
