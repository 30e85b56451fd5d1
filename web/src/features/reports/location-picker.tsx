// SPDX-License-Identifier: AGPL-3.0-or-later
// Where the waste is: the phone's position, coordinates, or a pin on the map; the street
// under the pin fills the address while the citizen has not typed one of their own.
import { lazy, Suspense, useCallback, useEffect, useRef, useState, type Dispatch, type SetStateAction } from "react";
import { Button, Field, Input } from "@/components/ui";
import { api } from "@/lib/api-client";
import { checkCoordinates, MAP_START } from "@/lib/format";
import { useI18n } from "@/lib/i18n";

const MapView = lazy(() => import("@/components/map-view"));

type Setter = Dispatch<SetStateAction<string>>;

export function LocationPicker({
  lat,
  lng,
  address,
  setLat,
  setLng,
  setAddress,
  errors,
  onError,
}: {
  lat: string;
  lng: string;
  address: string;
  setLat: Setter;
  setLng: Setter;
  setAddress: Setter;
  errors: Record<string, string>;
  onError: (field: string, message: string) => void;
}) {
  const { t } = useI18n();
  const [locating, setLocating] = useState(false);
  const [showMap, setShowMap] = useState(false);
  const [showCoordinates, setShowCoordinates] = useState(false);
  // Where the map opens when no position is chosen yet: the phone's, if it tells us.
  const [here, setHere] = useState<[number, number] | null>(null);
  function openMap() {
    const opening = !showMap;
    setShowMap(opening);
    if (opening && lat === "" && navigator.geolocation) {
      navigator.geolocation.getCurrentPosition(
        (pos) => setHere([pos.coords.latitude, pos.coords.longitude]),
        () => {},
        { enableHighAccuracy: false, timeout: 8_000, maximumAge: 300_000 },
      );
    }
  }
  const movePin = useCallback(
    (la: number, lo: number) => {
      setLat(la.toFixed(6));
      setLng(lo.toFixed(6));
    },
    [setLat, setLng],
  );
  const pin: [number, number] | null = lat !== "" && !checkCoordinates(lat, lng) ? [Number(lat), Number(lng)] : null;

  // The street at the pin, when the server has a street geocoder (Nominatim).
  const autoAddress = useRef("");
  useEffect(() => {
    if (lat === "" || checkCoordinates(lat, lng)) return;
    const controller = new AbortController();
    const timer = setTimeout(() => {
      api<{ street?: string | null }>(`/api/geo/reverse?lat=${lat}&lng=${lng}`, { signal: controller.signal })
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
  }, [lat, lng, setAddress]);

  function useMyLocation() {
    if (!navigator.geolocation) return onError("lat", t("errNoGeo"));
    setLocating(true);
    navigator.geolocation.getCurrentPosition(
      (pos) => {
        setLat(pos.coords.latitude.toFixed(6));
        setLng(pos.coords.longitude.toFixed(6));
        setLocating(false);
      },
      () => {
        onError("lat", t("errGeoRefused"));
        setLocating(false);
      },
      { enableHighAccuracy: true, timeout: 10_000 },
    );
  }

  return (
    <fieldset className="flex flex-col gap-2">
      <legend className="text-sm font-medium">{t("whereIsIt")}</legend>
      <Button type="button" variant="secondary" onClick={useMyLocation} disabled={locating}>
        {locating ? t("findingYou") : t("useMyLocation")}
      </Button>
      <Button type="button" variant="secondary" onClick={openMap} aria-expanded={showMap}>
        {showMap ? t("hideMap") : t("chooseOnMap")}
      </Button>
      {showMap && (
        <Suspense fallback={<p>{t("loading")}</p>}>
          <MapView
            key={here ? "here" : "country"}
            center={pin ?? here ?? MAP_START}
            zoom={pin || here ? 16 : 5}
            pin={pin}
            onPinMove={movePin}
            label={t("mapPinLabel")}
          />
        </Suspense>
      )}
      {pin && !showCoordinates && (
        <p className="text-sm text-slate-700" role="status">
          {t("positionChosen", { lat: pin[0].toFixed(5), lng: pin[1].toFixed(5) })}
        </p>
      )}
      {(errors.lat || errors.lng) && !showCoordinates && (
        <p role="alert" className="text-sm text-rose-700">
          {errors.lat ?? errors.lng}
        </p>
      )}
      <button
        type="button"
        className="min-h-11 self-start text-sm text-green-800 underline"
        aria-expanded={showCoordinates}
        onClick={() => setShowCoordinates(!showCoordinates)}
      >
        {t("enterCoordinates")}
      </button>
      {showCoordinates && (
        <div className="grid grid-cols-2 gap-2">
          <Field id="lat" label={t("latitude")} error={errors.lat}>
            <Input id="lat" inputMode="decimal" value={lat} onChange={(e) => setLat(e.target.value)} />
          </Field>
          <Field id="lng" label={t("longitude")} error={errors.lng}>
            <Input id="lng" inputMode="decimal" value={lng} onChange={(e) => setLng(e.target.value)} />
          </Field>
        </div>
      )}
      <p className="text-xs text-slate-600">{t("photoPositionHint")}</p>
      <Field id="address" label={t("address")} error={errors.address}>
        <Input id="address" value={address} onChange={(e) => setAddress(e.target.value)} />
      </Field>
    </fieldset>
  );
}
