/**
 * release.yaml: how the api is released. Blue-green in GitOps form: both colours are always rendered, a
 * setting names the live one, and a canary share of the mesh traffic may go to the idle one.
 * `npm run set-image` writes the idle colour's tag; `npm run promote` flips `active`.
 */
import { z } from 'zod';

/**
 * An immutable image tag, never `latest`. Same rule as `imageSchema.tag` in schema.ts, repeated here because
 * schema.ts imports this section (importing back would be a cycle).
 */
export const imageTagSchema = z
  .string()
  .regex(/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/, { message: 'must be a valid image tag such as v4.0.0' })
  .refine((t) => t.toLowerCase() !== 'latest', { message: '"latest" is not allowed: pin an immutable tag such as v4.0.0' });

/** The two colours of a blue-green release. */
export const COLOURS = ['blue', 'green'] as const;
/** A blue-green colour. */
export type Colour = (typeof COLOURS)[number];

/** The other colour: the idle one when `c` is live. */
export function otherColour(c: Colour): Colour {
  return c === 'blue' ? 'green' : 'blue';
}

const colourSchema = z.strictObject({
  /** Image tag this colour runs (never `latest`). */
  tag: imageTagSchema,
});

/** Blue-green and canary settings of one component. */
export const blueGreenSchema = z.strictObject({
  /** The colour the live Service `finbot-api` selects. */
  active: z.enum(COLOURS, { message: 'must be "blue" or "green"' }),
  /** Image tag of each colour. */
  colours: z.strictObject({ blue: colourSchema, green: colourSchema }),
  /**
   * Pods of the idle colour (serving `finbot-api-preview` and any canary share). 0 saves the cost but leaves
   * nothing to smoke-test; its HPA keeps at least this many.
   */
  idleReplicas: z.number().int().min(0).max(100),
  /**
   * A blue-green handover in progress (`npm run promote`): while above 0, the idle colour keeps at least this
   * many pods — before the switch so that it can take all of the live colour's traffic, after it so that the
   * previous colour can take it back. 0 = no handover (the idle colour runs idleReplicas).
   */
  handoverReplicas: z.number().int().min(0).max(1000),
  /** Percent of the mesh traffic to `finbot-api` that goes to the idle colour (0 = none). */
  canaryPercent: z.number().int().min(0, { message: 'must be between 0 and 100' }).max(100, { message: 'must be between 0 and 100' }),
}).superRefine((r, ctx) => {
  const idle = otherColour(r.active);
  if (r.canaryPercent > 0 && r.idleReplicas === 0) {
    ctx.addIssue({
      code: 'custom',
      path: ['canaryPercent'],
      message: `canaryPercent ${r.canaryPercent} sends traffic to the idle colour ${idle}, which has idleReplicas 0: raise idleReplicas or set canaryPercent to 0`,
    });
  }
  if (r.canaryPercent === 100) {
    ctx.addIssue({
      code: 'custom',
      path: ['canaryPercent'],
      message: `canaryPercent 100 would send all traffic to the idle colour ${idle} while finbot-api still selects ${r.active}: run "npm run promote" instead`,
    });
  }
});
export type BlueGreenSettings = z.infer<typeof blueGreenSchema>;

/** release.yaml. */
export const releaseSchema = z.strictObject({
  /** finbot-api (the only component released blue-green; web and worker roll). */
  api: blueGreenSchema,
});
export type ReleaseSettings = z.infer<typeof releaseSchema>;
