// Types for the test that reads the benchmark's generated captures (test/scan-wasm.test.ts).
export interface MapsSink { write(text: string): boolean; once(event: 'drain', resolve: () => void): unknown }
export function generateMaps(lines: number, mode?: 'normal' | 'novdso' | 'anonx' | 'libs' | string, out?: MapsSink): Promise<void>;
