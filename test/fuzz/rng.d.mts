// Types for the PRNG shared by the tests and the fuzz runner (test/fuzz/rng.mjs).
export function rng(seed: number): () => number;
