import path from "node:path";
import type { ShiplineError } from "../../../core/errors/shipline-error.js";
import type { BuildContext } from "./build-context.js";
import { copyLayer } from "./copy-layer.js";
import { type DockerfileInstruction, parseDockerfile } from "./dockerfile.js";
import { dockerfileError, namedValues, shellWords, substituteVariables } from "./dockerfile-words.js";
import {
  FIXED_CREATED,
  type OciDescriptor,
  type OciImageConfig,
  OciMediaType,
  ociArchitecture,
} from "./oci-config.js";
import { sha256Of } from "./tar-layer.js";

/** A base image found in the local registry, whose layers the packed image reuses. */
export interface BaseImage {
  /** Its repository in the local registry (layers are mounted from it). */
  readonly repository: string;
  readonly layers: readonly OciDescriptor[];
  readonly config: OciImageConfig;
}

/** A layer of a packed image: new content to upload, or a base layer to mount from its repository. */
export type PackedLayer =
  | { readonly kind: "new"; readonly descriptor: OciDescriptor; readonly blob: Buffer }
  | { readonly kind: "base"; readonly descriptor: OciDescriptor; readonly repository: string };

/** A packed image, ready to push. */
export interface PackedImage {
  readonly layers: readonly PackedLayer[];
  readonly config: { readonly descriptor: OciDescriptor; readonly content: Buffer };
  readonly manifest: { readonly descriptor: OciDescriptor; readonly content: Buffer };
  /** What the log should say (a base image recorded but not pulled). */
  readonly notes: readonly string[];
}

/** Options of {@link packImage}. */
export interface PackImageOptions {
  readonly dockerfile: string;
  readonly context: BuildContext;
  /** Labels added after the Dockerfile's own (the revision, the correlation id). */
  readonly labels: Readonly<Record<string, string>>;
  /** Finds a `FROM` image in the local registry; undefined when it is not there. */
  readonly resolveBase: (reference: string) => Promise<BaseImage | undefined>;
  /** @default - this machine's architecture */
  readonly architecture?: string;
}

const SUPPORTED = [
  "ARG",
  "FROM",
  "WORKDIR",
  "COPY",
  "ENV",
  "EXPOSE",
  "LABEL",
  "USER",
  "CMD",
  "ENTRYPOINT",
  "STOPSIGNAL",
];

/**
 * Builds an OCI image from a Dockerfile without a daemon or root: a subset interpreter (FROM,
 * WORKDIR, COPY, ENV, EXPOSE, LABEL, USER, CMD, ENTRYPOINT, ARG, STOPSIGNAL) that writes one
 * reproducible layer per COPY, the config (fixed creation time, labels) and the manifest. A `FROM`
 * image found in the local registry is extended (its layers and config reused); any other base is
 * recorded in the history and not pulled: locally its role is played by the host (e.g. the host's
 * `node` runs a Node service). `RUN` and other instructions fail with a `DOCKERFILE_UNSUPPORTED`
 * naming the line and the fix.
 *
 * @example
 * ```ts
 * const image = await packImage({ dockerfile, context, labels: { "org.opencontainers.image.revision": sha }, resolveBase });
 * image.manifest.descriptor.digest; // the same for the same input, on every machine
 * ```
 */
export async function packImage(options: PackImageOptions): Promise<PackedImage> {
  const instructions = parseDockerfile(options.dockerfile);
  const args = new Map<string, string>();
  const notes: string[] = [];
  let from: { base: BaseImage | undefined; reference: string } | undefined;
  const runtime = {
    env: new Map<string, string>(),
    labels: new Map<string, string>(),
    ports: new Set<string>(),
  };
  let workdir = "/";
  let user: string | undefined;
  let cmd: readonly string[] | undefined;
  let entrypoint: readonly string[] | undefined;
  let stopSignal: string | undefined;
  const layers: PackedLayer[] = [];
  const diffIds: string[] = [];
  const history: { created: string; created_by: string; empty_layer?: boolean }[] = [];
  const expand = (text: string) => substituteVariables(text, new Map([...args, ...runtime.env]));

  for (const instruction of instructions) {
    const { keyword, line } = instruction;
    if (!SUPPORTED.includes(keyword)) throw unsupported(instruction);
    if (keyword !== "ARG" && keyword !== "FROM" && from === undefined) {
      throw dockerfileError(
        line,
        `${keyword} comes before FROM`,
        "start the Dockerfile with FROM (ARG may precede it)",
      );
    }
    const createdBy = `${keyword} ${instruction.text}`;
    switch (keyword) {
      case "ARG":
        for (const word of shellWords(instruction.text)) {
          const [name = "", ...value] = word.split("=");
          if (!args.has(name)) args.set(name, value.join("="));
        }
        break;
      case "FROM": {
        if (from !== undefined) {
          throw dockerfileError(
            line,
            "starts a second stage",
            "multi-stage builds need buildah: install it, or build in the build commands and COPY the result",
          );
        }
        const [reference = ""] = shellWords(expand(instruction.text));
        const base = reference === "scratch" ? undefined : await options.resolveBase(reference);
        from = { base, reference };
        if (base) inherit(base, runtime);
        if (base?.config.config?.WorkingDir) workdir = base.config.config.WorkingDir;
        user = base?.config.config?.User;
        cmd = base?.config.config?.Cmd ?? undefined;
        entrypoint = base?.config.config?.Entrypoint ?? undefined;
        if (reference !== "scratch" && !base) {
          notes.push(
            `base image '${reference}' is not in the local registry: recorded, not pulled; locally the host provides it`,
          );
        }
        for (const layer of base?.layers ?? [])
          layers.push({ kind: "base", descriptor: layer, repository: base?.repository ?? "" });
        diffIds.push(...(base?.config.rootfs.diff_ids ?? []));
        history.push(
          ...(base?.config.history ?? []).map((entry) => ({
            created: entry.created ?? FIXED_CREATED,
            created_by: entry.created_by ?? "",
            ...(entry.empty_layer ? { empty_layer: true } : {}),
          })),
        );
        history.push({ created: FIXED_CREATED, created_by: `FROM ${reference}`, empty_layer: true });
        continue;
      }
      case "WORKDIR":
        workdir = path.posix.resolve(workdir, expand(instruction.text));
        break;
      case "COPY": {
        const layer = await copyLayer({ instruction, expand, workdir, context: options.context });
        layers.push({
          kind: "new",
          descriptor: { mediaType: OciMediaType.Layer, digest: layer.digest, size: layer.blob.length },
          blob: layer.blob,
        });
        diffIds.push(layer.diffId);
        history.push({ created: FIXED_CREATED, created_by: createdBy });
        continue;
      }
      case "ENV":
      case "LABEL":
        for (const [name, value] of namedValues(instruction, expand))
          (keyword === "ENV" ? runtime.env : runtime.labels).set(name, value);
        break;
      case "EXPOSE":
        for (const port of shellWords(expand(instruction.text)))
          runtime.ports.add(port.includes("/") ? port : `${port}/tcp`);
        break;
      case "USER":
        user = expand(instruction.text);
        break;
      case "CMD":
        cmd = instruction.json ?? ["/bin/sh", "-c", instruction.text];
        break;
      case "ENTRYPOINT":
        entrypoint = instruction.json ?? ["/bin/sh", "-c", instruction.text];
        break;
      case "STOPSIGNAL":
        stopSignal = expand(instruction.text);
        break;
    }
    if (keyword !== "ARG") history.push({ created: FIXED_CREATED, created_by: createdBy, empty_layer: true });
  }
  if (from === undefined)
    throw dockerfileError(1, "has no FROM", "start the Dockerfile with FROM scratch or FROM <image>");
  for (const [name, value] of Object.entries(options.labels)) runtime.labels.set(name, value);

  const config = Buffer.from(
    JSON.stringify({
      created: FIXED_CREATED,
      architecture: from.base?.config.architecture ?? options.architecture ?? ociArchitecture(),
      os: "linux",
      config: {
        ...(user ? { User: user } : {}),
        ...(runtime.ports.size > 0
          ? { ExposedPorts: Object.fromEntries([...runtime.ports].sort().map((port) => [port, {}])) }
          : {}),
        Env: [...runtime.env].map(([name, value]) => `${name}=${value}`),
        ...(entrypoint ? { Entrypoint: entrypoint } : {}),
        ...(cmd ? { Cmd: cmd } : {}),
        WorkingDir: workdir,
        Labels: Object.fromEntries([...runtime.labels].sort(([a], [b]) => (a < b ? -1 : 1))),
        ...(stopSignal ? { StopSignal: stopSignal } : {}),
      },
      rootfs: { type: "layers", diff_ids: diffIds },
      history,
    }),
  );
  const configDescriptor = { mediaType: OciMediaType.Config, digest: sha256Of(config), size: config.length };
  const manifest = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: OciMediaType.Manifest,
      config: configDescriptor,
      layers: layers.map((layer) => ({
        mediaType: layer.descriptor.mediaType,
        digest: layer.descriptor.digest,
        size: layer.descriptor.size,
      })),
    }),
  );
  return {
    layers,
    config: { descriptor: configDescriptor, content: config },
    manifest: {
      descriptor: { mediaType: OciMediaType.Manifest, digest: sha256Of(manifest), size: manifest.length },
      content: manifest,
    },
    notes,
  };
}

function inherit(
  base: BaseImage,
  runtime: { env: Map<string, string>; labels: Map<string, string>; ports: Set<string> },
): void {
  for (const entry of base.config.config?.Env ?? []) {
    const [name = "", ...value] = entry.split("=");
    runtime.env.set(name, value.join("="));
  }
  for (const [name, value] of Object.entries(base.config.config?.Labels ?? {}))
    runtime.labels.set(name, value);
  for (const port of Object.keys(base.config.config?.ExposedPorts ?? {})) runtime.ports.add(port);
}

function unsupported(instruction: DockerfileInstruction): ShiplineError {
  const fix =
    instruction.keyword === "RUN"
      ? "install buildah so that the local builder runs the Dockerfile as it is, or do this work in the app's build commands (build.commands.build) and COPY the result"
      : `install buildah, or use only ${SUPPORTED.join(", ")}`;
  return dockerfileError(
    instruction.line,
    `${instruction.keyword} is not supported by the daemonless builder`,
    fix,
  );
}
