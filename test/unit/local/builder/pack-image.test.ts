import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { ShiplineError } from "../../../../functions/core/errors/shipline-error.js";
import { readBuildContext } from "../../../../functions/local/builder/image/build-context.js";
import { parseDockerfile } from "../../../../functions/local/builder/image/dockerfile.js";
import { ociImageConfig } from "../../../../functions/local/builder/image/oci-config.js";
import { packImage } from "../../../../functions/local/builder/image/pack-image.js";

const dirs: string[] = [];
const REVISION = { "org.opencontainers.image.revision": "0123456789abcdef0123456789abcdef01234567" };

afterEach(async () => {
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

async function contextWith(files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "shipline-pack-"));
  dirs.push(dir);
  for (const [name, content] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(dir, name)), { recursive: true });
    await writeFile(path.join(dir, name), content);
  }
  return dir;
}

const NODE_SERVICE = [
  "# syntax=docker/dockerfile:1",
  "FROM node:20-alpine",
  "ARG PORT=8080",
  "WORKDIR /srv",
  "ENV NODE_ENV=production \\",
  "    PORT=$PORT",
  "COPY package.json server.js ./",
  "COPY lib/ lib/",
  "EXPOSE $PORT",
  'LABEL org.opencontainers.image.title="demo service"',
  "USER 1000",
  'CMD ["node", "server.js"]',
].join("\n");

const FILES = {
  "package.json": '{"name":"demo","version":"1.0.0"}\n',
  "server.js": "// server\n",
  "lib/util.js": "// util\n",
  "notes.md": "# notes\n",
};

describe("parseDockerfile", () => {
  it("joins continuation lines, drops comments and recognises the JSON form", () => {
    // Act
    const instructions = parseDockerfile(NODE_SERVICE);

    // Assert
    expect(instructions.map((instruction) => [instruction.keyword, instruction.line])).toEqual([
      ["FROM", 2],
      ["ARG", 3],
      ["WORKDIR", 4],
      ["ENV", 5],
      ["COPY", 7],
      ["COPY", 8],
      ["EXPOSE", 9],
      ["LABEL", 10],
      ["USER", 11],
      ["CMD", 12],
    ]);
    expect(instructions[3]?.text).toBe("NODE_ENV=production PORT=$PORT");
    expect(instructions[9]?.json).toEqual(["node", "server.js"]);
  });
});

describe("packImage", () => {
  it("packs a Node service: base recorded not pulled, one layer per COPY, config from the Dockerfile and the labels", async () => {
    // Arrange
    const context = await readBuildContext(await contextWith(FILES));

    // Act
    const image = await packImage({
      dockerfile: NODE_SERVICE,
      context,
      labels: REVISION,
      resolveBase: async () => undefined,
      architecture: "amd64",
    });

    // Assert
    const config = ociImageConfig.parse(JSON.parse(image.config.content.toString("utf8")));
    expect(config.created).toBe("1970-01-01T00:00:00Z");
    expect(config.config).toEqual({
      User: "1000",
      ExposedPorts: { "8080/tcp": {} },
      Env: ["NODE_ENV=production", "PORT=8080"],
      Cmd: ["node", "server.js"],
      WorkingDir: "/srv",
      Labels: {
        "org.opencontainers.image.revision": REVISION["org.opencontainers.image.revision"],
        "org.opencontainers.image.title": "demo service",
      },
    });
    expect(image.layers).toHaveLength(2);
    expect(config.rootfs.diff_ids).toHaveLength(2);
    expect(config.history?.[0]).toMatchObject({ created_by: "FROM node:20-alpine", empty_layer: true });
    expect(image.notes).toEqual([expect.stringContaining("'node:20-alpine' is not in the local registry")]);
    expect(JSON.parse(image.manifest.content.toString("utf8"))).toMatchObject({
      mediaType: "application/vnd.oci.image.manifest.v1+json",
      config: image.config.descriptor,
    });
  });

  it("gives the same digest for the same Dockerfile and files, wherever they sit and whenever they were written", async () => {
    // Arrange
    const first = await readBuildContext(await contextWith(FILES));
    const second = await readBuildContext(await contextWith(FILES));
    const options = {
      dockerfile: NODE_SERVICE,
      labels: REVISION,
      resolveBase: async () => undefined,
      architecture: "amd64",
    };

    // Act
    const a = await packImage({ ...options, context: first });
    const b = await packImage({ ...options, context: second });
    const changed = await packImage({
      ...options,
      context: await readBuildContext(await contextWith({ ...FILES, "server.js": "// v2\n" })),
    });

    // Assert
    expect(b.manifest.descriptor.digest).toBe(a.manifest.descriptor.digest);
    expect(changed.manifest.descriptor.digest).not.toBe(a.manifest.descriptor.digest);
  });

  it("leaves out what .dockerignore excludes", async () => {
    // Arrange
    const withIgnore = await readBuildContext(
      await contextWith({ ...FILES, ".dockerignore": "*.md\n.git\n" }),
    );

    // Act & Assert
    expect(withIgnore.entries.map((entry) => entry.path)).toEqual([
      ".dockerignore",
      "lib",
      "lib/util.js",
      "package.json",
      "server.js",
    ]);
  });

  it("refuses RUN with the line and the fix", async () => {
    // Arrange
    const context = await readBuildContext(await contextWith(FILES));

    // Act
    const error = await packImage({
      dockerfile: "FROM node:20\nRUN npm ci\n",
      context,
      labels: {},
      resolveBase: async () => undefined,
    }).catch((caught: unknown) => caught);

    // Assert
    expect(error).toBeInstanceOf(ShiplineError);
    expect(error).toMatchObject({ code: "DOCKERFILE_UNSUPPORTED", data: { line: 2 } });
    expect(String(error)).toMatch(/line 2: RUN is not supported .*install buildah.*build commands/);
  });

  it("refuses a COPY of a file that is not in the context", async () => {
    // Arrange
    const context = await readBuildContext(await contextWith(FILES));

    // Act & Assert
    await expect(
      packImage({
        dockerfile: "FROM scratch\nCOPY missing.js /app/\n",
        context,
        labels: {},
        resolveBase: async () => undefined,
      }),
    ).rejects.toThrow(/line 2: COPY copies 'missing.js', which is not in the build context/);
  });

  it("extends a base image found in the local registry: its layers, environment and command", async () => {
    // Arrange
    const context = await readBuildContext(await contextWith(FILES));
    const baseLayer = {
      mediaType: "application/vnd.oci.image.layer.v1.tar+gzip",
      digest: `sha256:${"b".repeat(64)}`,
      size: 10,
    };
    const base = {
      repository: "base/node",
      layers: [baseLayer],
      config: {
        architecture: "arm64",
        os: "linux",
        config: { Env: ["PATH=/usr/bin"], Cmd: ["node"] },
        rootfs: { type: "layers" as const, diff_ids: [`sha256:${"c".repeat(64)}`] },
      },
    };

    // Act
    const image = await packImage({
      dockerfile: "FROM base/node:20\nCOPY server.js /srv/\n",
      context,
      labels: {},
      resolveBase: async () => base,
    });

    // Assert
    const config = ociImageConfig.parse(JSON.parse(image.config.content.toString("utf8")));
    expect(image.layers[0]).toEqual({ kind: "base", descriptor: baseLayer, repository: "base/node" });
    expect(config.architecture).toBe("arm64");
    expect(config.config?.Env).toEqual(["PATH=/usr/bin"]);
    expect(config.config?.Cmd).toEqual(["node"]);
    expect(config.rootfs.diff_ids[0]).toBe(`sha256:${"c".repeat(64)}`);
  });
});
