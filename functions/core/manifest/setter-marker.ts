import * as z from "zod";

/** Which part of an image a marked scalar holds. */
export type MarkerField = "image" | "tag" | "name" | "digest";

/** A setter marker read from a line comment. */
export interface SetterMarker {
  /** Which grammar the marker follows. */
  readonly source: "flux" | "shipline";
  /** What a `marker` edit names to select it: `namespace:policy` (Flux) or the Shipline name. */
  readonly name: string;
  /** The part of the image the marked scalar holds. */
  readonly field: MarkerField;
}

const fluxComment = z.looseObject({ $imagepolicy: z.string() });
const FLUX_POLICY = /^([^:\s]+):([^:\s]+)(?::(tag|name|digest))?$/;
const SHIPLINE = /^shipline:(image|tag|name|digest)=([A-Za-z0-9][A-Za-z0-9._:/-]*)(?:\s.*)?$/;

/**
 * Reads a setter marker from the text of a line comment (what follows `#`), or nothing if the
 * comment is not one. A marker sits at the end of the line of the scalar it sets.
 *
 * Grammar:
 * - Flux: `# {"$imagepolicy": "<namespace>:<policy>"}` marks a whole reference
 *   (`repository:tag`, written with `@digest` when the edit gives one);
 *   `"<namespace>:<policy>:tag"`, `":name"` and `":digest"` mark only that part (`name` is the
 *   repository). The comment is JSON; other keys are ignored. The marker's name is `<namespace>:<policy>`.
 * - Shipline: `# shipline:<field>=<name>` with field `image` (whole reference), `tag`, `name`
 *   (repository) or `digest`, and a name of letters, digits and `._:/-` (usually the app);
 *   text after a space is a free comment, as in `# shipline:tag=web (promoted automatically)`.
 *
 * @example
 * ```ts
 * parseSetterMarker(' {"$imagepolicy": "flux-system:web:tag"}'); // { source: "flux", name: "flux-system:web", field: "tag" }
 * parseSetterMarker(" shipline:image=web"); // { source: "shipline", name: "web", field: "image" }
 * ```
 */
export function parseSetterMarker(comment: string): SetterMarker | undefined {
  const text = comment.trim();
  const shipline = SHIPLINE.exec(text);
  if (shipline?.[1] && shipline[2])
    return { source: "shipline", name: shipline[2], field: markerField(shipline[1]) };
  if (!text.startsWith("{")) return undefined;
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return undefined;
  }
  const parsed = fluxComment.safeParse(json);
  const policy = parsed.success ? FLUX_POLICY.exec(parsed.data.$imagepolicy.trim()) : null;
  if (!policy) return undefined;
  return {
    source: "flux",
    name: `${policy[1]}:${policy[2]}`,
    field: policy[3] ? markerField(policy[3]) : "image",
  };
}

function markerField(text: string): MarkerField {
  if (text === "tag" || text === "name" || text === "digest") return text;
  return "image";
}
