// The citizen's report: photo (camera on phones), type, location, description; before
// sending, open reports of the same type within 250 m are offered ("already reported?").
import { useEffect, useState, type FormEvent } from "react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Button, Card, Field, Input, Select, StatusBadge } from "@/components/ui";
import { ApiError } from "@/lib/api-client";
import { checkCoordinates } from "@/lib/format";
import type { Report } from "@/lib/types";
import { queueReport } from "@/lib/outbox";
import { confirmReport, fetchNearby, fetchWasteTypes, keys, submitReport } from "./api";

export function ReportForm({ userId, onQueued }: { userId: string; onQueued: () => void }) {
  const queryClient = useQueryClient();
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

  useEffect(() => {
    if (!photo) return setPreview("");
    const url = URL.createObjectURL(photo);
    setPreview(url);
    return () => URL.revokeObjectURL(url);
  }, [photo]);

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
      setMessage("Thank you — your report was sent. Follow it under “Your reports”.");
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
        setMessage("The report could not be sent.");
      }
    },
  });

  function useMyLocation() {
    if (!navigator.geolocation) return setFields({ lat: "This browser cannot share its location." });
    setLocating(true);
    navigator.geolocation.getCurrentPosition(
      (pos) => {
        setLat(pos.coords.latitude.toFixed(6));
        setLng(pos.coords.longitude.toFixed(6));
        setLocating(false);
      },
      () => {
        setFields({ lat: "Location permission was refused; type the coordinates or an address." });
        setLocating(false);
      },
      { enableHighAccuracy: true, timeout: 10_000 },
    );
  }

  function submit(e: FormEvent) {
    e.preventDefault();
    const errors: Record<string, string> = {};
    if (!photo) errors.photo = "Add a photo of the waste.";
    if (!wasteType) errors.wasteType = "Choose the type of waste.";
    const coord = checkCoordinates(lat, lng);
    if (coord) errors.lat = coord;
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
    setMessage("You are offline. The report is saved on this phone and will be sent when you are back online.");
    setPhoto(null);
    setFileInputKey((k) => k + 1);
    setDescription("");
    onQueued();
  }

  return (
    <Card title="Report waste">
      <form onSubmit={submit} className="flex flex-col gap-4" noValidate>
        <Field id="photo" label="Photo" error={fields.photo}>
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
        {preview && <img src={preview} alt="The photo you chose" className="max-h-48 w-auto rounded" />}
        <Field id="wasteType" label="Type of waste" error={fields.wasteType}>
          <Select id="wasteType" value={wasteType} onChange={(e) => setWasteType(e.target.value)}>
            <option value="">Choose…</option>
            {types.data?.items.map((t) => (
              <option key={t.code} value={t.code}>
                {t.label}
              </option>
            ))}
          </Select>
        </Field>
        <fieldset className="flex flex-col gap-2">
          <legend className="text-sm font-medium">Where is it?</legend>
          <Button type="button" variant="secondary" onClick={useMyLocation} disabled={locating}>
            {locating ? "Finding you…" : "Use my location"}
          </Button>
          <div className="grid grid-cols-2 gap-2">
            <Field id="lat" label="Latitude" error={fields.lat}>
              <Input id="lat" inputMode="decimal" value={lat} onChange={(e) => setLat(e.target.value)} />
            </Field>
            <Field id="lng" label="Longitude" error={fields.lng}>
              <Input id="lng" inputMode="decimal" value={lng} onChange={(e) => setLng(e.target.value)} />
            </Field>
          </div>
          <p className="text-xs text-slate-600">Leave both empty to use the position stored in the photo.</p>
          <Field id="address" label="Address or landmark (optional)" error={fields.address}>
            <Input id="address" value={address} onChange={(e) => setAddress(e.target.value)} />
          </Field>
        </fieldset>
        {nearby.length > 0 && (
          <div role="region" aria-label="Already reported nearby" className="rounded border border-amber-300 bg-amber-50 p-3">
            <p className="text-sm font-semibold">Already reported? These are within 250 m:</p>
            <ul className="mt-2 flex flex-col gap-2">
              {nearby.map((r) => (
                <li key={r.id} className="flex items-center gap-2 text-sm">
                  <img src={r.thumbnailUrl} alt={`Reported ${r.wasteType} waste`} className="h-10 w-10 rounded object-cover" />
                  <span>{Math.round(r.distanceM ?? 0)} m away</span>
                  <StatusBadge status={r.status} />
                  <Button
                    type="button"
                    variant="secondary"
                    onClick={() =>
                      confirmReport(r.id, "still_there")
                        .then(() => setMessage("Thanks — you confirmed it is still there and will be kept informed."))
                        .catch((err) => setMessage(err instanceof ApiError ? err.detail : "Could not confirm."))
                    }
                  >
                    Still there
                  </Button>
                </li>
              ))}
            </ul>
          </div>
        )}
        <Field id="description" label="Description (optional)" error={fields.description}>
          <textarea
            id="description"
            className="rounded-md border border-slate-400 px-3 py-2 text-sm"
            rows={3}
            maxLength={2000}
            value={description}
            onChange={(e) => setDescription(e.target.value)}
          />
        </Field>
        <Field id="size" label="How much is there?" error={fields.size}>
          <Select id="size" value={size} onChange={(e) => setSize(e.target.value)}>
            <option value="">Not sure</option>
            <option value="bag">Fits in a bag</option>
            <option value="wheelbarrow">A wheelbarrow</option>
            <option value="truck">Needs a truck</option>
          </Select>
        </Field>
        <label className="flex items-center gap-2 text-sm">
          <input type="checkbox" checked={blocksDrain} onChange={(e) => setBlocksDrain(e.target.checked)} />
          It blocks a drain
        </label>
        {send.isPending && (
          <label className="flex flex-col gap-1 text-sm">
            Uploading
            <progress max={1} value={progress} className="w-full" />
          </label>
        )}
        {message && (
          <p role="status" className="rounded bg-slate-100 p-2 text-sm">
            {message}
          </p>
        )}
        <Button type="submit" disabled={send.isPending}>
          Send report
        </Button>
      </form>
    </Card>
  );
}
