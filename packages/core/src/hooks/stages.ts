/**
 * Named stages order the taps of one hook. Lower runs first; taps of the same stage run in the order
 * they were added, which is never part of a contract: pick a stage when order matters.
 */
/** Guards: deny, validate, authenticate. Runs before anything rewrites. */
export const STAGE_GUARD = -200
/** Normalise input before the ordinary taps see it. */
export const STAGE_PRE = -100
/** The ordinary stage, used when a tap names none. */
export const STAGE_DEFAULT = 0
/** Enrich or adjust what the ordinary taps produced. */
export const STAGE_POST = 100
/** Observe the final value: logging, metrics, audit. Taps here should not rewrite. */
export const STAGE_OBSERVE = 200
