import * as z from "zod";
import { ShiplineError } from "../../core/errors/shipline-error.js";
import type { Finding } from "../../core/scan/finding.js";
import { normaliseSeverity } from "../../core/scan/severity-rank.js";
import type { LocalRegistry } from "../registry/index.js";
import type { ImageScanner, ScannedImage } from "./image-scanner.js";
import { readTarEntries } from "./tar-entry.js";

/** The image config label whose value is a JSON array of declared findings. */
export const FINDINGS_LABEL = "dev.shipline.scan.findings";

/** The file in the image holding a JSON array of declared findings. */
export const FINDINGS_FILE = ".shipline/findings.json";

/** One finding an image declares. */
export const declaredFinding = z.strictObject({
  id: z.string().min(1),
  severity: z.string().min(1),
  package: z.string().optional(),
  installedVersion: z.string().optional(),
  fixedVersion: z.string().optional(),
  title: z.string().optional(),
});

const declaredFindings = z.array(declaredFinding);

/** The parts of an image manifest the scanner reads. */
interface ImageLayout {
  readonly config: { readonly digest: string };
  readonly layers: readonly { readonly digest: string }[];
}

const imageConfig = z.looseObject({
  config: z.looseObject({ Labels: z.record(z.string(), z.string()).nullish() }).nullish(),
});

/**
 * A scanner that reads the findings an image declares about itself, so that tests and the demo can
 * produce real approvals and rejections without a vulnerability database: the config label
 * `dev.shipline.scan.findings` and the file `/.shipline/findings.json` (the topmost layer that holds
 * or deletes it wins), each a JSON array of `{ id, severity, package?, installedVersion?,
 * fixedVersion?, title? }`. Both are read and their findings joined; an image with neither has
 * none. An index is read through its first image manifest. A declaration that is not such an array
 * throws a permanent `SCAN_DECLARATION_INVALID`.
 *
 * @example
 * ```ts
 * const scanner = new DeclaredFindingsScanner({ registry });
 * const findings = await scanner.scan({ repository: "demo", digest, reference });
 * ```
 */
export class DeclaredFindingsScanner implements ImageScanner {
  readonly name = "declared";
  readonly #registry: Pick<LocalRegistry, "getManifest" | "getBlob">;

  constructor(options: { readonly registry: Pick<LocalRegistry, "getManifest" | "getBlob"> }) {
    this.#registry = options.registry;
  }

  /** Reads the image's label and file. */
  async scan(image: ScannedImage): Promise<Finding[]> {
    const manifest = await this.#imageManifest(image, image.digest);
    const config = imageConfig.safeParse(
      parseJson((await this.#blob(image, manifest.config.digest)).toString("utf8")),
    );
    const label = config.success ? config.data.config?.Labels?.[FINDINGS_LABEL] : undefined;
    const fromLabel = label === undefined ? [] : parseDeclared(image, `label ${FINDINGS_LABEL}`, label);
    const file = await this.#findingsFile(image, manifest.layers);
    const fromFile = file === undefined ? [] : parseDeclared(image, `file /${FINDINGS_FILE}`, file);
    return [...fromLabel, ...fromFile];
  }

  async #imageManifest(image: ScannedImage, reference: string): Promise<ImageLayout> {
    const stored = await this.#registry.getManifest(image.repository, reference);
    if (stored === undefined) {
      throw new ShiplineError({
        code: "IMAGE_NOT_FOUND",
        message: `${image.repository}@${reference} is not in the local registry; push it before scanning`,
        data: { repository: image.repository, digest: reference },
      });
    }
    if (stored.document.kind === "image") return stored.document.manifest;
    const first = stored.document.index.manifests[0];
    if (first === undefined) {
      throw new ShiplineError({
        code: "IMAGE_NOT_FOUND",
        message: `${image.repository}@${reference} is an empty index; push an image with at least one platform`,
        data: { repository: image.repository, digest: reference },
      });
    }
    return this.#imageManifest(image, first.digest);
  }

  async #findingsFile(image: ScannedImage, layers: readonly { readonly digest: string }[]) {
    const slash = FINDINGS_FILE.lastIndexOf("/");
    const [directory, base] = [FINDINGS_FILE.slice(0, slash), FINDINGS_FILE.slice(slash + 1)];
    for (const layer of [...layers].reverse()) {
      const entries = readTarEntries(await this.#blob(image, layer.digest));
      const deleted = entries.some(
        (entry) => entry.path === `${directory}/.wh.${base}` || entry.path === `${directory}/.wh..wh..opq`,
      );
      const file = entries.findLast((entry) => entry.path === FINDINGS_FILE && entry.kind === "file");
      if (file) return file.content.toString("utf8");
      if (deleted) return undefined;
    }
    return undefined;
  }

  async #blob(image: ScannedImage, digest: string): Promise<Buffer> {
    const blob = await this.#registry.getBlob(digest);
    if (blob === undefined) {
      throw new ShiplineError({
        code: "IMAGE_NOT_FOUND",
        message: `blob ${digest} of ${image.repository}@${image.digest} is missing from the local registry; push the image again`,
        data: { repository: image.repository, digest: image.digest, blob: digest },
      });
    }
    return blob;
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function parseDeclared(image: ScannedImage, where: string, text: string): Finding[] {
  const parsed = declaredFindings.safeParse(parseJson(text));
  if (!parsed.success) {
    throw new ShiplineError({
      code: "SCAN_DECLARATION_INVALID",
      message: `${image.repository}@${image.digest} declares findings in its ${where}, but that is not a JSON array of { id, severity, package?, installedVersion?, fixedVersion?, title? }; fix the declaration`,
      data: { repository: image.repository, digest: image.digest, where },
    });
  }
  return parsed.data.map((finding) => ({ ...finding, severity: normaliseSeverity(finding.severity) }));
}
