/**
 * `@prescale/optimizer`: the GPU optimizer's solver. `@prescale/core` builds the Mélange
 * integer program and reads its solution (`optimizeAllocation`); this package solves it
 * with HiGHS compiled to WebAssembly, behind core's `MipSolver` interface.
 * @module
 */
export * from './highsSolver.js';
