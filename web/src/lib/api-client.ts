// SPDX-License-Identifier: AGPL-3.0-or-later
// The one API client: bearer token in memory, silent refresh through the HttpOnly cookie,
// problem+json turned into ApiError with per-field messages.
import type { User } from "./types";

export class ApiError extends Error {
  constructor(
    public status: number,
    public detail: string,
    public fields: Record<string, string> = {},
  ) {
    super(detail);
  }
}

let accessToken: string | null = null;
let refreshing: Promise<User | null> | null = null;
const listeners = new Set<() => void>();

export function getAccessToken(): string | null {
  return accessToken;
}

export function setAccessToken(token: string | null): void {
  accessToken = token;
  listeners.forEach((l) => l());
}

/** Called when the session is lost for good (refresh failed). */
export function onSessionChange(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export async function toApiError(res: Response): Promise<ApiError> {
  let detail = res.statusText || "Request failed";
  const fields: Record<string, string> = {};
  try {
    const body = await res.json();
    if (body && typeof body.detail === "string") detail = body.detail;
    for (const e of body?.errors ?? []) fields[e.field] = e.message;
  } catch {
    // not JSON: keep the status text
  }
  return new ApiError(res.status, detail, fields);
}

/**
 * True when the server set a refresh cookie in this browser. That cookie is HttpOnly; the
 * server sets a visible `cleanai_signed_in=1` beside it, so a visitor who never signed in
 * makes no refresh request (and sees no failed request in the console).
 */
export function mayHaveSession(): boolean {
  return document.cookie.split(";").some((c) => c.trim() === "cleanai_signed_in=1");
}

/** Exchanges the refresh cookie for a new access token; false when there is no session. */
export async function refreshSession(): Promise<boolean> {
  return (await restoreSession()) !== null;
}

/**
 * Like refreshSession, and returns the signed-in user the refresh answer carries (so a
 * page load needs one round trip, not a refresh and then /api/auth/me). Concurrent calls
 * share one request: a refresh token is single-use, a second one would end the session.
 */
export function restoreSession(): Promise<User | null> {
  if (!mayHaveSession()) {
    setAccessToken(null);
    return Promise.resolve(null);
  }
  refreshing ??= (async () => {
    try {
      const res = await fetch("/api/auth/refresh", { method: "POST", credentials: "same-origin" });
      if (!res.ok) {
        setAccessToken(null);
        return null;
      }
      const body = (await res.json()) as { accessToken: string; user: User };
      setAccessToken(body.accessToken);
      return body.user;
    } catch {
      return null;
    } finally {
      refreshing = null;
    }
  })();
  return refreshing;
}

export interface RequestOptions {
  method?: string;
  json?: unknown;
  headers?: Record<string, string>;
  signal?: AbortSignal;
}

/**
 * A page drawn while the session is still being restored sends its first requests after
 * the restore, not before: without a token they would fail and start a second refresh.
 */
async function afterPendingRefresh(): Promise<void> {
  if (!accessToken && refreshing) await refreshing;
}

export async function api<T>(path: string, options: RequestOptions = {}, retry = true): Promise<T> {
  if (!path.startsWith("/api/auth/")) await afterPendingRefresh();
  const headers: Record<string, string> = { Accept: "application/json", ...options.headers };
  if (accessToken) headers.Authorization = `Bearer ${accessToken}`;
  let body: BodyInit | undefined;
  if (options.json !== undefined) {
    headers["Content-Type"] = "application/json";
    body = JSON.stringify(options.json);
  }
  const res = await fetch(path, {
    method: options.method ?? "GET",
    headers,
    body,
    signal: options.signal,
    credentials: "same-origin",
  });
  if (res.status === 401 && retry && !path.startsWith("/api/auth/")) {
    if (await refreshSession()) return api<T>(path, options, false);
  }
  if (!res.ok) throw await toApiError(res);
  if (res.status === 204) return undefined as T;
  return (await res.json()) as T;
}

/** multipart upload with progress (fetch cannot report upload progress). */
export async function uploadForm<T>(
  path: string,
  form: FormData,
  opts: { method?: string; idempotencyKey?: string; onProgress?: (fraction: number) => void } = {},
): Promise<T> {
  await afterPendingRefresh();
  try {
    return await uploadOnce<T>(path, form, opts);
  } catch (err) {
    // An expired access token (common after a long offline spell): refresh once, retry.
    if (err instanceof ApiError && err.status === 401 && (await refreshSession())) {
      return uploadOnce<T>(path, form, opts);
    }
    throw err;
  }
}

function uploadOnce<T>(
  path: string,
  form: FormData,
  opts: { method?: string; idempotencyKey?: string; onProgress?: (fraction: number) => void },
): Promise<T> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open(opts.method ?? "POST", path);
    if (accessToken) xhr.setRequestHeader("Authorization", `Bearer ${accessToken}`);
    if (opts.idempotencyKey) xhr.setRequestHeader("Idempotency-Key", opts.idempotencyKey);
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable) opts.onProgress?.(e.loaded / e.total);
    };
    xhr.onerror = () => reject(new ApiError(0, "Network error: the report was not sent"));
    xhr.onload = async () => {
      const res = new Response(xhr.responseText, {
        status: xhr.status,
        headers: { "Content-Type": xhr.getResponseHeader("Content-Type") ?? "" },
      });
      if (xhr.status >= 200 && xhr.status < 300) resolve((await res.json()) as T);
      else reject(await toApiError(res));
    };
    xhr.send(form);
  });
}

/** Downloads an authenticated file (an export) and hands it to the browser as `filename`. */
export async function downloadFile(path: string, filename: string, retry = true): Promise<void> {
  const headers: Record<string, string> = {};
  if (accessToken) headers.Authorization = `Bearer ${accessToken}`;
  const res = await fetch(path, { headers, credentials: "same-origin" });
  if (res.status === 401 && retry && (await refreshSession())) return downloadFile(path, filename, false);
  if (!res.ok) throw await toApiError(res);
  const url = URL.createObjectURL(await res.blob());
  const a = document.createElement("a");
  a.href = url;
  a.download = filename;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/**
 * A photo only its reporter and admins may see (an admin hid it from the public): fetched
 * with the token, handed back as an object URL for an <img>. The caller revokes it.
 */
export async function fetchPrivateImage(path: string, retry = true): Promise<string> {
  await afterPendingRefresh();
  const headers: Record<string, string> = {};
  if (accessToken) headers.Authorization = `Bearer ${accessToken}`;
  const res = await fetch(path, { headers, credentials: "same-origin" });
  if (res.status === 401 && retry && (await refreshSession())) return fetchPrivateImage(path, false);
  if (!res.ok) throw await toApiError(res);
  return URL.createObjectURL(await res.blob());
}
