// SPDX-License-Identifier: AGPL-3.0-or-later
// The citizen's report: photo (camera on phones), type, location, description; before
// sending, open reports of the same type within 250 m are offered ("already reported?").
import { useCallback, useEffect, useState, type Dispatch, type FormEvent, type ReactNode, type SetStateAction } from "react";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { Button, Card, Field, Select } from "@/components/ui";
import { ApiError } from "@/lib/api-client";
import { downscalePhoto } from "@/lib/downscale";
import { usePhotoPreview } from "@/lib/use-photo-preview";
import { checkCoordinates } from "@/lib/format";
import { useI18n } from "@/lib/i18n";
import { queueReport } from "@/lib/outbox";
import { useWasteTypes } from "@/lib/waste-types";
import { AlreadyReported } from "./already-reported";
import { keys, submitReport } from "./api";
import { LocationPicker } from "./location-picker";
import { usePhotoGps } from "./use-photo-gps";

/** What the page may show under the photo: the AI's proposal of a type, when it is on. */
export type TypeSuggestion = (photo: File | null, current: string, use: (type: string) => void) => ReactNode;

export function ReportForm({
  onQueued,
  waiting = 0,
  suggestion,
}: {
  onQueued: () => void;
  /** Reports saved on the phone and not sent yet (the outbox). */
  waiting?: number;
  suggestion?: TypeSuggestion;
}) {
  const queryClient = useQueryClient();
  const { t, lang } = useI18n();
  const types = useWasteTypes();
  const [photo, setPhoto] = useState<File | null>(null);
  const preview = usePhotoPreview(photo);
  const [wasteType, setWasteType] = useState("");
  const [lat, setLat] = useState("");
  const [lng, setLng] = useState("");
  const [address, setAddress] = useState("");
  const [description, setDescription] = useState("");
  const [size, setSize] = useState("");
  const [blocksDrain, setBlocksDrain] = useState(false);
  const [progress, setProgress] = useState(0);
  const [fields, setFields] = useState<Record<string, string>>({});
  const [message, setMessage] = useState("");
  const [fileInputKey, setFileInputKey] = useState(0);  // bumping it empties the file input
  const [dragging, setDragging] = useState(false);

  // The photo's own GPS position fills an empty location.
  const photoGps = usePhotoGps(photo);
  useEffect(() => {
    if (!photoGps) return;
    setLat((cur) => (cur === "" ? photoGps.lat.toFixed(6) : cur));
    setLng((cur) => (cur === "" ? photoGps.lng.toFixed(6) : cur));
  }, [photoGps]);

  const send = useMutation({
    mutationFn: ({ form, key }: { form: FormData; key: string }) => submitReport(form, key, setProgress),
    onSuccess: () => {
      setMessage(t("sent"));
      setPhoto(null);
      setFileInputKey((k) => k + 1);
      setDescription("");
      setLat("");  // the next report is somewhere else
      setLng("");
      setAddress("");
      setProgress(0);
      queryClient.invalidateQueries({ queryKey: keys.allMyReports });
    },
    onError: async (err, { form, key }) => {
      setProgress(0);
      if (err instanceof ApiError && err.status === 0) {
        // No connection: keep it and send it when the connection returns.
        await keep(form, key);
        return;
      }
      if (err instanceof ApiError) {
        setFields(err.fields);
        setMessage(err.detail);
      } else {
        setMessage(t("notSent"));
      }
    },
  });

  // A field's error goes as soon as the field changes: the citizen sees it is fixed.
  const clearError = useCallback((name: string) => {
    setFields((f) => {
      if (!(name in f)) return f;
      const rest = { ...f };
      delete rest[name];
      return rest;
    });
  }, []);
  const setLatFixed = useCallback<Dispatch<SetStateAction<string>>>((v) => {
    setLat(v);
    clearError("lat");
  }, [clearError]);
  const setLngFixed = useCallback<Dispatch<SetStateAction<string>>>((v) => {
    setLng(v);
    clearError("lat");
    clearError("lng");
  }, [clearError]);

  async function submit(e: FormEvent) {
    e.preventDefault();
    const errors: Record<string, string> = {};
    if (!photo) errors.photo = t("errPhoto");
    if (!wasteType) errors.wasteType = t("errType");
    const coord = checkCoordinates(lat, lng);
    if (coord) errors.lat = t(coord);
    setFields(errors);
    setMessage("");
    if (Object.keys(errors).length > 0) return;
    const form = new FormData();
    form.set("wasteType", wasteType);
    if (lat !== "") {
      form.set("lat", lat);
      form.set("lng", lng);
    }
    if (address) form.set("address", address);
    if (description) form.set("description", description);
    if (size) form.set("size", size);
    form.set("blocksDrain", String(blocksDrain));
    // Shrunk on the phone (the GPS position was read from the original above).
    form.set("photo", await downscalePhoto(photo!));
    const key = crypto.randomUUID();
    if (!navigator.onLine) {
      void keep(form, key);
      return;
    }
    send.mutate({ form, key });
  }

  // "You are offline" stays only while a saved report waits: once the outbox has sent it,
  // the message says so.
  const [offlineNotice, setOfflineNotice] = useState<"none" | "saved" | "waiting">("none");
  useEffect(() => {
    if (offlineNotice === "saved" && waiting > 0) setOfflineNotice("waiting");
    if (offlineNotice === "waiting" && waiting === 0) {
      setOfflineNotice("none");
      setMessage(t("queuedSent"));
    }
  }, [offlineNotice, waiting, t]);

  async function keep(form: FormData, key: string) {
    const fields: Record<string, string> = {};
    form.forEach((v, k) => {
      if (typeof v === "string") fields[k] = v;
    });
    const file = form.get("photo") as File;
    await queueReport({
      key,
      fields,
      photo: file,
      photoName: file.name || "photo.jpg",
      createdAt: new Date().toISOString(),
    });
    setMessage(t("offlineSaved"));
    setOfflineNotice("saved");
    setPhoto(null);
    setFileInputKey((k) => k + 1);
    setDescription("");
    onQueued();
  }

  return (
    <Card title={t("reportWaste")}>
      <form onSubmit={submit} className="flex flex-col gap-4" noValidate>
        <LocationPicker
          lat={lat}
          lng={lng}
          address={address}
          setLat={setLatFixed}
          setLng={setLngFixed}
          setAddress={setAddress}
          errors={fields}
          onError={(field, message) => setFields({ [field]: message })}
        />
        <div
          role="region"
          aria-label={t("dropZoneLabel")}
          onDragOver={(e) => {
            e.preventDefault();
            setDragging(true);
          }}
          onDragLeave={() => setDragging(false)}
          onDrop={(e) => {
            e.preventDefault();
            setDragging(false);
            const file = e.dataTransfer.files?.[0];
            if (file && file.type.startsWith("image/")) {
              setPhoto(file);
              clearError("photo");
            }
          }}
          className={`rounded-lg border-2 border-dashed p-4 text-center text-sm ${dragging ? "border-green-700 bg-green-50" : "border-slate-300"}`}
        >
          {t("dropZone")}
        </div>
        <Field id="photo" label={t("photo")} error={fields.photo}>
          <input
            key={fileInputKey}
            id="photo"
            type="file"
            accept="image/jpeg,image/png,image/webp,image/heic,image/heif"
            capture="environment"
            onChange={(e) => {
              setPhoto(e.target.files?.[0] ?? null);
              clearError("photo");
            }}
            className="text-sm"
          />
        </Field>
        {preview && <img src={preview} alt={t("photoAlt")} className="max-h-48 w-auto rounded" />}
        {photoGps && (
          <p role="status" className="text-sm text-green-900">
            {t("photoGps", { lat: photoGps.lat.toFixed(6), lng: photoGps.lng.toFixed(6) })}
          </p>
        )}
        {suggestion?.(photo, wasteType, setWasteType)}
        <Field id="wasteType" label={t("wasteType")} error={fields.wasteType}>
          <Select
            id="wasteType"
            value={wasteType}
            onChange={(e) => {
              setWasteType(e.target.value);
              clearError("wasteType");
            }}
          >
            <option value="">{t("choose")}</option>
            {types.data?.items.map((wt) => (
              <option key={wt.code} value={wt.code}>
                {lang === "ur" ? wt.labelUr : wt.label}
              </option>
            ))}
          </Select>
        </Field>
        <AlreadyReported wasteType={wasteType} lat={lat} lng={lng} onMessage={setMessage} />
        <Field id="description" label={t("description")} error={fields.description}>
          <textarea
            id="description"
            className="rounded-md border border-slate-400 px-3 py-2 text-sm"
            rows={3}
            maxLength={2000}
            value={description}
            onChange={(e) => setDescription(e.target.value)}
          />
        </Field>
        <Field id="size" label={t("howMuch")} error={fields.size}>
          <Select id="size" value={size} onChange={(e) => setSize(e.target.value)}>
            <option value="">{t("notSure")}</option>
            <option value="bag">{t("sizeBag")}</option>
            <option value="wheelbarrow">{t("sizeWheelbarrow")}</option>
            <option value="truck">{t("sizeTruck")}</option>
          </Select>
        </Field>
        <label className="flex items-center gap-2 text-sm">
          <input type="checkbox" checked={blocksDrain} onChange={(e) => setBlocksDrain(e.target.checked)} />
          {t("blocksDrain")}
        </label>
        {send.isPending && (
          <label className="flex flex-col gap-1 text-sm">
            {t("uploading")}
            <progress max={1} value={progress} className="w-full" />
          </label>
        )}
        {message && (
          <p role="status" className="rounded bg-slate-100 p-2 text-sm">
            {message}
          </p>
        )}
        <Button type="submit" disabled={send.isPending}>
          {t("sendReport")}
        </Button>
      </form>
    </Card>
  );
}
