// The citizen's report: photo (camera on phones), type, location, description; before
// sending, open reports of the same type within 250 m are offered ("already reported?").
import { lazy, Suspense, useCallback, useEffect, useRef, useState, type FormEvent } from "react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Button, Card, Field, Input, Select, StatusBadge } from "@/components/ui";
import { api, ApiError } from "@/lib/api-client";
import { checkCoordinates } from "@/lib/format";
import { useI18n } from "@/lib/i18n";
import type { Report } from "@/lib/types";
import { queueReport } from "@/lib/outbox";
import { readJpegGps } from "@/lib/exif";
import { AiSuggestion } from "@/features/ai/ai-suggestion";

const MapView = lazy(() => import("@/components/map-view"));
const lahore: [number, number] = [31.5204, 74.3587];
import { confirmReport, fetchNearby, fetchWasteTypes, keys, submitReport } from "./api";

export function ReportForm({ userId, onQueued }: { userId: string; onQueued: () => void }) {
  const queryClient = useQueryClient();
  const { t, lang } = useI18n();
  const types = useQuery({ queryKey: keys.wasteTypes, queryFn: fetchWasteTypes });
  const [photo, setPhoto] = useState<File | null>(null);
  const [preview, setPreview] = useState("");
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
  const [nearby, setNearby] = useState<Report[]>([]);
  const [locating, setLocating] = useState(false);
  const [fileInputKey, setFileInputKey] = useState(0);  // bumping it empties the file input
  const [showMap, setShowMap] = useState(false);
  const [dragging, setDragging] = useState(false);
  const movePin = useCallback((la: number, lo: number) => {
    setLat(la.toFixed(6));
    setLng(lo.toFixed(6));
  }, []);
  const pin: [number, number] | null =
    lat !== "" && !checkCoordinates(lat, lng) ? [Number(lat), Number(lng)] : null;

  // The street at the pin, when the server has a street geocoder (Nominatim): it fills the
  // address while the citizen has not typed one of their own.
  const autoAddress = useRef("");
  useEffect(() => {
    if (!pin) return;
    const controller = new AbortController();
    const timer = setTimeout(() => {
      api<{ street?: string | null }>(`/api/geo/reverse?lat=${pin[0]}&lng=${pin[1]}`, { signal: controller.signal })
        .then((place) => {
          if (!place.street) return;
          setAddress((cur) => {
            if (cur !== "" && cur !== autoAddress.current) return cur;
            autoAddress.current = place.street!;
            return place.street!;
          });
        })
        .catch(() => {});  // no place within reach, or offline: the address stays as it is
    }, 600);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
    // pin is derived from lat/lng
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [lat, lng]);

  useEffect(() => {
    if (!photo) return setPreview("");
    const url = URL.createObjectURL(photo);
    setPreview(url);
    return () => URL.revokeObjectURL(url);
  }, [photo]);

  // The photo's own GPS position, read here before upload (EXIF sits in the first bytes).
  const [photoGps, setPhotoGps] = useState("");
  useEffect(() => {
    setPhotoGps("");
    if (!photo) return;
    let cancelled = false;
    photo
      .slice(0, 256 * 1024)
      .arrayBuffer()
      .then((buf) => {
        const gps = readJpegGps(buf);
        if (cancelled || !gps) return;
        const la = gps.lat.toFixed(6);
        const lo = gps.lng.toFixed(6);
        setLat((cur) => (cur === "" ? la : cur));
        setLng((cur) => (cur === "" ? lo : cur));
        setPhotoGps(t("photoGps", { lat: la, lng: lo }));
      })
      .catch(() => {});
    return () => {
      cancelled = true;
    };
  }, [photo, t]);

  // "Already reported?": look around once a type and a position are known.
  useEffect(() => {
    if (!wasteType || checkCoordinates(lat, lng) || lat === "") return setNearby([]);
    const t = setTimeout(() => {
      fetchNearby(Number(lat), Number(lng), wasteType)
        .then((r) => setNearby(r.items))
        .catch(() => setNearby([]));
    }, 300);
    return () => clearTimeout(t);
  }, [wasteType, lat, lng]);

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
      setNearby([]);
      setProgress(0);
      queryClient.invalidateQueries({ queryKey: keys.myReports(userId) });
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

  function useMyLocation() {
    if (!navigator.geolocation) return setFields({ lat: t("errNoGeo") });
    setLocating(true);
    navigator.geolocation.getCurrentPosition(
      (pos) => {
        setLat(pos.coords.latitude.toFixed(6));
        setLng(pos.coords.longitude.toFixed(6));
        setLocating(false);
      },
      () => {
        setFields({ lat: t("errGeoRefused") });
        setLocating(false);
      },
      { enableHighAccuracy: true, timeout: 10_000 },
    );
  }

  function submit(e: FormEvent) {
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
    form.set("photo", photo!);
    const key = crypto.randomUUID();
    if (!navigator.onLine) {
      void keep(form, key);
      return;
    }
    send.mutate({ form, key });
  }

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
    setPhoto(null);
    setFileInputKey((k) => k + 1);
    setDescription("");
    onQueued();
  }

  return (
    <Card title={t("reportWaste")}>
      <form onSubmit={submit} className="flex flex-col gap-4" noValidate>
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
            if (file && file.type.startsWith("image/")) setPhoto(file);
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
            onChange={(e) => setPhoto(e.target.files?.[0] ?? null)}
            className="text-sm"
          />
        </Field>
        {preview && <img src={preview} alt={t("photoAlt")} className="max-h-48 w-auto rounded" />}
        {photoGps && (
          <p role="status" className="text-sm text-green-900">
            {photoGps}
          </p>
        )}
        <AiSuggestion photo={photo} current={wasteType} onUse={setWasteType} />
        <Field id="wasteType" label={t("wasteType")} error={fields.wasteType}>
          <Select id="wasteType" value={wasteType} onChange={(e) => setWasteType(e.target.value)}>
            <option value="">{t("choose")}</option>
            {types.data?.items.map((wt) => (
              <option key={wt.code} value={wt.code}>
                {lang === "ur" ? wt.labelUr : wt.label}
              </option>
            ))}
          </Select>
        </Field>
        <fieldset className="flex flex-col gap-2">
          <legend className="text-sm font-medium">{t("whereIsIt")}</legend>
          <Button type="button" variant="secondary" onClick={useMyLocation} disabled={locating}>
            {locating ? t("findingYou") : t("useMyLocation")}
          </Button>
          <div className="grid grid-cols-2 gap-2">
            <Field id="lat" label={t("latitude")} error={fields.lat}>
              <Input id="lat" inputMode="decimal" value={lat} onChange={(e) => setLat(e.target.value)} />
            </Field>
            <Field id="lng" label={t("longitude")} error={fields.lng}>
              <Input id="lng" inputMode="decimal" value={lng} onChange={(e) => setLng(e.target.value)} />
            </Field>
          </div>
          <p className="text-xs text-slate-600">{t("photoPositionHint")}</p>
          <Button type="button" variant="secondary" onClick={() => setShowMap(!showMap)} aria-expanded={showMap}>
            {showMap ? t("hideMap") : t("chooseOnMap")}
          </Button>
          {showMap && (
            <Suspense fallback={<p>{t("loading")}</p>}>
              <MapView center={pin ?? lahore} pin={pin ?? lahore} onPinMove={movePin} label={t("mapPinLabel")} />
            </Suspense>
          )}
          <Field id="address" label={t("address")} error={fields.address}>
            <Input id="address" value={address} onChange={(e) => setAddress(e.target.value)} />
          </Field>
        </fieldset>
        {nearby.length > 0 && (
          <div role="region" aria-label={t("alreadyReportedRegion")} className="rounded border border-amber-300 bg-amber-50 p-3">
            <p className="text-sm font-semibold">{t("alreadyReported")}</p>
            <ul className="mt-2 flex flex-col gap-2">
              {nearby.map((r) => (
                <li key={r.id} className="flex items-center gap-2 text-sm">
                  <img src={r.thumbnailUrl} alt={`${r.wasteType}: ${r.location.address}`} className="h-10 w-10 rounded object-cover" />
                  <span>{t("metresAway", { m: Math.round(r.distanceM ?? 0) })}</span>
                  <StatusBadge status={r.status} />
                  <Button
                    type="button"
                    variant="secondary"
                    onClick={() =>
                      confirmReport(r.id, "still_there")
                        .then(() => setMessage(t("confirmedThanks")))
                        .catch((err) => setMessage(err instanceof ApiError ? err.detail : "Could not confirm."))
                    }
                  >
                    {t("stillThere")}
                  </Button>
                </li>
              ))}
            </ul>
          </div>
        )}
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
