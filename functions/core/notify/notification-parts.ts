import { commitUrlOf } from "./commit-url.js";
import type { CommitInfo } from "./journey-lookup.js";
import type { NotificationField, NotificationLink } from "./notification.js";

/** What a notification may link to beyond what its event carries. */
export interface NotificationContext {
  /** What the journey knows of the change (see `JourneyLookup`); absent when it knows nothing. */
  readonly commit?: CommitInfo;
  /** The config repository (`configRepo.url`), to link config commits an event names by sha only. */
  readonly configRepoUrl?: string;
  /** Argo CD's web UI, e.g. `https://argocd.example.com`: applications link to `/applications/<name>`. */
  readonly argoCdUrl?: string;
  /** The page that shows journeys (the local timeline): links to `<url>#<app>/<commit>`. */
  readonly timelineUrl?: string;
}

/** The first seven characters of a sha, as git abbreviates it. */
export function short(sha: string): string {
  return sha.slice(0, 7);
}

/** The first line of a commit message. */
export function subjectOf(message: string): string {
  return message.split(/\r?\n/, 1)[0]?.trim() ?? "";
}

/** `old → new`, `new` or `old → ?` as far as they are known. */
export function tagChange(from: string | undefined, to: string | undefined): string | undefined {
  if (from !== undefined && to !== undefined) return from === to ? to : `${from} → ${to}`;
  if (to !== undefined) return to;
  return from === undefined ? undefined : `${from} → (unknown)`;
}

/** `"Serve /healthz" by Ada Lovelace`, or a note that the change is unknown. */
export function changeSentence(commit: CommitInfo | undefined, sha: string): string {
  if (commit?.message === undefined) {
    return `Source commit ${short(sha)} (its message and author are not on record).`;
  }
  const subject = subjectOf(commit.message);
  const by = commit.author === undefined ? "" : ` by ${commit.author.name}`;
  return `Change: "${subject || short(sha)}"${by} (${short(sha)}).`;
}

/** The fields about the source commit: its subject and its author. */
export function commitFields(commit: CommitInfo | undefined, sha: string): NotificationField[] {
  const subject = commit?.message === undefined ? "" : subjectOf(commit.message);
  const fields: NotificationField[] = [
    { label: "Source commit", value: subject === "" ? short(sha) : `${short(sha)} ${subject}` },
  ];
  if (commit?.author !== undefined) {
    const email = commit.author.email === undefined ? "" : ` <${commit.author.email}>`;
    fields.push({ label: "Author", value: `${commit.author.name}${email}` });
  }
  return fields;
}

/** A field, or nothing when its value is unknown or empty. */
export function fieldOf(label: string, value: string | undefined): NotificationField[] {
  return value === undefined || value === "" ? [] : [{ label, value }];
}

/** A link, or nothing when its URL is unknown. */
export function linkOf(label: string, url: string | undefined): NotificationLink[] {
  return url === undefined || url === "" ? [] : [{ label, url }];
}

/** The link to the source commit on its git host. */
export function sourceCommitLink(context: NotificationContext, sha: string): NotificationLink[] {
  const repositoryUrl = context.commit?.repositoryUrl;
  return linkOf("Source commit", repositoryUrl === undefined ? undefined : commitUrlOf(repositoryUrl, sha));
}

/** The link to a commit of the config repository. */
export function configCommitLink(
  label: string,
  configRepoUrl: string | undefined,
  sha: string,
): NotificationLink[] {
  return linkOf(label, configRepoUrl === undefined ? undefined : commitUrlOf(configRepoUrl, sha));
}

/** The link to an Argo CD application in Argo CD's web UI. */
export function argoCdLink(context: NotificationContext, application: string): NotificationLink[] {
  if (context.argoCdUrl === undefined) return [];
  const base = context.argoCdUrl.replace(/\/+$/, "");
  return [{ label: "Argo CD application", url: `${base}/applications/${encodeURIComponent(application)}` }];
}

/** The link to the journey's timeline. */
export function journeyLink(context: NotificationContext, app: string, sha: string): NotificationLink[] {
  if (context.timelineUrl === undefined) return [];
  const base = context.timelineUrl.replace(/\/+$/, "");
  return [{ label: "Journey", url: `${base}/#${encodeURIComponent(app)}/${sha}` }];
}

/** A sentence ends with one full stop, whatever the reason it quotes ends with. */
export function sentence(text: string): string {
  const trimmed = text.trim();
  return /[.!?]$/.test(trimmed) ? trimmed : `${trimmed}.`;
}

/** At most `limit` items as lines, with a note of how many more there were. */
export function listOf(items: readonly string[], limit: number): string | undefined {
  if (items.length === 0) return undefined;
  const shown = items.slice(0, limit);
  const more = items.length - shown.length;
  return more > 0 ? [...shown, `and ${more} more`].join("\n") : shown.join("\n");
}
