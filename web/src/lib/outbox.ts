// SPDX-License-Identifier: AGPL-3.0-or-later
// Reports made without a connection wait here (IndexedDB) and are sent when it returns.
// Each keeps the Idempotency-Key it was created with, so a send that reached the server
// before the connection dropped is never filed twice.

export interface QueuedReport {
  key: string;  // the Idempotency-Key, also the record's id
  fields: Record<string, string>;
  photo: Blob;
  photoName: string;
  createdAt: string;
  error?: string;  // the server refused it (it stays visible, it is not retried)
}

const DB = "cleanai";
const STORE = "outbox";

function open(): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const req = indexedDB.open(DB, 1);
    req.onupgradeneeded = () => req.result.createObjectStore(STORE, { keyPath: "key" });
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

async function run<T>(mode: IDBTransactionMode, fn: (s: IDBObjectStore) => IDBRequest<T>): Promise<T> {
  const db = await open();
  return new Promise((resolve, reject) => {
    const tx = db.transaction(STORE, mode);
    const req = fn(tx.objectStore(STORE));
    tx.oncomplete = () => {
      db.close();
      resolve(req.result);
    };
    tx.onerror = () => reject(tx.error);
  });
}

export const queueReport = (r: QueuedReport) => run("readwrite", (s) => s.put(r));
export const listQueued = () => run<QueuedReport[]>("readonly", (s) => s.getAll() as IDBRequest<QueuedReport[]>);
export const removeQueued = (key: string) => run("readwrite", (s) => s.delete(key));

/** Builds the multipart form of a queued report. */
export function toFormData(r: QueuedReport): FormData {
  const form = new FormData();
  for (const [k, v] of Object.entries(r.fields)) form.set(k, v);
  form.set("photo", r.photo, r.photoName);
  return form;
}
