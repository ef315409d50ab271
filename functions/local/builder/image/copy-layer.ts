import path from "node:path";
import type { BuildContext } from "./build-context.js";
import { copyFiles } from "./copy-files.js";
import type { DockerfileInstruction } from "./dockerfile.js";
import { dockerfileError, shellWords } from "./dockerfile-words.js";
import { type TarLayer, tarLayer } from "./tar-layer.js";

/**
 * Builds the layer of one `COPY` instruction: its flags (`--chown=<uid>:<gid>`, `--chmod=<octal>`),
 * sources and destination (relative to WORKDIR), then the reproducible tar of the copied entries.
 *
 * @example
 * ```ts
 * const layer = await copyLayer({ instruction, expand, workdir: "/app", context });
 * ```
 */
export async function copyLayer(options: {
  readonly instruction: DockerfileInstruction;
  readonly expand: (text: string) => string;
  readonly workdir: string;
  readonly context: BuildContext;
}): Promise<TarLayer> {
  const { instruction, expand, workdir } = options;
  const words = instruction.json ?? shellWords(expand(instruction.text));
  const flags = words.filter((word) => word.startsWith("--"));
  const rest = words.filter((word) => !word.startsWith("--"));
  let owner: { uid: number; gid: number } | undefined;
  let mode: number | undefined;
  for (const flag of flags) {
    const [name, value = ""] = flag.split("=", 2);
    if (name === "--chown" && /^\d+(:\d+)?$/.test(value)) {
      const [uid = "0", gid = uid] = value.split(":");
      owner = { uid: Number(uid), gid: Number(gid) };
    } else if (name === "--chmod" && /^[0-7]{3,4}$/.test(value)) {
      mode = Number.parseInt(value, 8);
    } else {
      throw dockerfileError(
        instruction.line,
        `COPY ${flag} is not supported without buildah`,
        "use --chown=<uid>:<gid> or --chmod=<octal>, or install buildah",
      );
    }
  }
  const destination = rest.at(-1);
  if (rest.length < 2 || destination === undefined) {
    throw dockerfileError(
      instruction.line,
      "COPY needs a source and a destination",
      "write COPY <source>... <destination>",
    );
  }
  const absolute = destination.startsWith("/")
    ? destination
    : `${path.posix.resolve(workdir, destination)}${destination.endsWith("/") ? "/" : ""}`;
  const entries = await copyFiles({
    context: options.context,
    sources: rest.slice(0, -1),
    destination: absolute,
    line: instruction.line,
    ...(owner === undefined ? {} : { owner }),
    ...(mode === undefined ? {} : { mode }),
  });
  return tarLayer(entries);
}
