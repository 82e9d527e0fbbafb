import type { ChalkInstance } from 'chalk';

export type ColorMode = 'auto' | 'always' | 'never';

/**
 * chalk's supports-color ignores NO_COLOR, so the policy lives here: --color=always wins,
 * then --color=never, then a non-empty NO_COLOR, then FORCE_COLOR, then "is stdout a TTY".
 */
export function colorLevel(mode: ColorMode, env: NodeJS.ProcessEnv, isTTY: boolean): 0 | 1 {
  if (mode === 'always') return 1;
  if (mode === 'never') return 0;
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return 0;
  if (env.FORCE_COLOR !== undefined) return env.FORCE_COLOR === '0' || env.FORCE_COLOR === 'false' ? 0 : 1;
  return isTTY && env.TERM !== 'dumb' ? 1 : 0;
}

/** Without color, a stand-in that returns text unchanged: chalk is only loaded to color. */
export const plain: ChalkInstance = new Proxy(((s: unknown) => String(s)) as unknown as ChalkInstance, {
  // Not a thenable: `await makeChalk(0)` must resolve to the proxy itself.
  get: (_t, prop) => (prop === 'then' ? undefined : prop === 'level' ? 0 : plain),
  apply: (_t, _this, args: unknown[]) => args.map(String).join(' '),
});

export async function makeChalk(level: 0 | 1): Promise<ChalkInstance> {
  if (level === 0) return plain;
  const { Chalk } = await import('chalk');
  return new Chalk({ level });
}
