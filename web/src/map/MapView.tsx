// The coordinator's map: MapLibre GL with a bundled Natural Earth basemap (world-atlas, and major
// rivers and reservoirs in water-ua.json) and
// Ukraine's towns of 1,000 people or more by name (GeoNames, towns-ua.json), an optional PMTiles
// file for detail, the MGRS grid, and the live picture as APP-6 symbols: casualties filled by
// triage category with their precedence beside, clustered with counts by category when zoomed
// out; names as collision-checked labels.
import * as maplibregl from "maplibre-gl";
import type { GeoJSONSource, Map as MlMap, MapMouseEvent } from "maplibre-gl";
import "maplibre-gl/dist/maplibre-gl.css";
import { FileSource, PMTiles, Protocol } from "pmtiles";
import { feature } from "topojson-client";
import workerUrl from "maplibre-gl/dist/maplibre-gl-worker.mjs?url";
import countriesUrl from "world-atlas/countries-50m.json?url";
import townsUrl from "./towns-ua.json?url";
import waterUrl from "./water-ua.json?url";
import { useEffect, useRef, useState } from "preact/hooks";
import { clock } from "../card";
import { toMgrs } from "../geo";
import { t } from "../i18n";
import type { Picture } from "../picture";
import { fromServer } from "../remote";
import { CLOSED_REQUESTS, liveCasualties } from "./chain";
import { gridLines } from "./grid";
import { drawMissingImages } from "./labels";
import { casualtyImage, mapTriage, PRECEDENCE_COLOURS, SIDC, symbolImage, TRIAGE_ORDER } from "./symbols";

type FC = GeoJSON.FeatureCollection;
const EMPTY: FC = { type: "FeatureCollection", features: [] };

function point(p: unknown): GeoJSON.Point | null {
  const q = p as { lat?: number; lon?: number } | null;
  return q && typeof q.lat === "number" && typeof q.lon === "number" ? { type: "Point", coordinates: [q.lon, q.lat] } : null;
}

function collection(items: { geometry: GeoJSON.Geometry | null; properties: Record<string, unknown> }[]): FC {
  return {
    type: "FeatureCollection",
    features: items.filter((i) => i.geometry).map((i) => ({ type: "Feature", geometry: i.geometry!, properties: i.properties })),
  };
}

function circle(centre: { lat: number; lon: number }, radius: number): GeoJSON.Polygon {
  const ring: [number, number][] = [];
  for (let i = 0; i <= 48; i++) {
    const a = (2 * Math.PI * i) / 48;
    ring.push([
      centre.lon + ((radius / (111_320 * Math.cos((centre.lat * Math.PI) / 180))) * Math.cos(a)),
      centre.lat + (radius / 111_320) * Math.sin(a),
    ]);
  }
  return { type: "Polygon", coordinates: [ring] };
}

export function layersOf(p: Picture, now: number): Record<string, FC> {
  // The live picture: casualties still in the chain, not the closed past ones (chain.ts).
  const cards = liveCasualties(p);
  return {
    casualties: collection(
      cards.map((c) => {
        const running = fromServer(c).tourniquets.filter((x) => !x.ended_at).map((x) => clock(x, now).alert);
        return {
          geometry: point(c.position),
          properties: {
            id: c.casualty_id,
            triage: mapTriage(c.triage as Record<string, unknown> | undefined),
            icon: `cas-${mapTriage(c.triage as Record<string, unknown> | undefined)}-${c.precedence ?? "none"}`,
            tq: running.includes("critical") ? 2 : running.includes("warning") ? 1 : running.length ? 0.5 : 0,
          },
        };
      }),
    ),
    requests: collection(
      p.requests
        .filter((r) => !CLOSED_REQUESTS.has(String(r.status)))
        .map((r) => ({ geometry: point(r.pickup), properties: { id: r.id, colour: PRECEDENCE_COLOURS[String(r.precedence)] ?? "#999" } })),
    ),
    vehicles: collection(
      p.vehicles.map((v) => ({ geometry: point(v.position ?? v.base), properties: { id: v.id, icon: `veh-${v.vehicle_kind}`, label: String(v.call_sign ?? "") } })),
    ),
    facilities: collection(
      p.facilities.map((f) => ({ geometry: point(f.position), properties: { id: f.id, icon: "fac", label: String(f.name ?? "").slice(0, 32) } })),
    ),
    points: collection(
      p.points.map((x) => ({ geometry: point(x.position), properties: { id: x.id, icon: `pt-${x.point_kind}`, kind: x.point_kind, label: String(x.name ?? "").slice(0, 32) } })),
    ),
    threats: collection(
      p.threats
        .filter((x) => !x.withdrawn_at && (!x.ends_at || Date.parse(String(x.ends_at)) > now))
        .map((x) => ({
          geometry: x.polygon
            ? { type: "Polygon", coordinates: [[...(x.polygon as { lat: number; lon: number }[]).map((c) => [c.lon, c.lat]), [(x.polygon as { lon: number }[])[0].lon, (x.polygon as { lat: number }[])[0].lat]]] }
            : circle(x.centre as { lat: number; lon: number }, Number(x.radius_m)),
          properties: { id: x.id, active: Date.parse(String(x.starts_at)) <= now ? 1 : 0 },
        })),
    ),
  };
}

// Symbols are drawn when the map first needs them: a casualty's by triage and precedence, a
// vehicle's by kind, a facility's and a point's by kind. Names are labels of their own.
function symbolFor(id: string): ImageData | null {
  const [kind, a, b] = id.split("-");
  if (kind === "cas") return casualtyImage(a, b ?? "none");
  const rest = id.slice(kind.length + 1);
  if (kind === "veh") return symbolImage(SIDC[rest as keyof typeof SIDC] ?? SIDC.ground_ambulance).image;
  if (id === "fac") return symbolImage(SIDC.facility).image;
  if (kind === "pt") return symbolImage(rest === "ambulance_exchange" ? SIDC.ambulance_exchange : SIDC.casualty_collection).image;
  return null;
}

/** Count casualties of each triage category in a cluster (MapLibre clusterProperties). */
const CLUSTER_COUNTS = Object.fromEntries(
  TRIAGE_ORDER.map((c) => [`n_${c}`, ["+", ["case", ["==", ["get", "triage"], c], 1, 0]]]),
) as Record<string, maplibregl.ExpressionSpecification>;

// One protocol for the whole page: a user's PMTiles file is added to it by name.
let protocol: Protocol | null = null;

export interface MapProps {
  picture: Picture;
  now: number;
  onPick: (kind: string, id: string) => void;
  onMapClick?: (lat: number, lon: number) => void;
  /** The planner's suggested trips (plan.ts planRoutes), drawn as lines. */
  routes?: FC;
  /** A threat area being drawn: corners as points, the outline as a line, a circle's centre as a
   * point with its radius_m. */
  draft?: FC;
}

/** The drawing's features as the map shows them: a circle's centre gets its ring. */
function draftFeatures(draft: FC | undefined): FC {
  if (!draft) return EMPTY;
  const features = draft.features.flatMap((f) => {
    const radius = Number(f.properties?.radius_m ?? 0);
    if (f.geometry.type !== "Point" || !(radius > 0)) return [f];
    const [lon, lat] = f.geometry.coordinates;
    const ring = circle({ lat, lon }, radius).coordinates[0];
    return [f, { type: "Feature", geometry: { type: "LineString", coordinates: ring }, properties: {} } as GeoJSON.Feature];
  });
  return { type: "FeatureCollection", features };
}

export function MapView({ picture, now, onPick, onMapClick, routes, draft }: MapProps) {
  const container = useRef<HTMLDivElement>(null);
  const mapRef = useRef<MlMap | null>(null);
  // What each source was last given, as JSON, to skip a setData that changes nothing.
  const sent = useRef(new Map<string, string>());
  const [cursor, setCursor] = useState("");
  const [ready, setReady] = useState(false);
  const clickRef = useRef(onMapClick);
  clickRef.current = onMapClick;
  const pickRef = useRef(onPick);
  pickRef.current = onPick;

  useEffect(() => {
    if (!protocol) {
      // Bundled, the worker is no longer beside the library: say where the build put it.
      maplibregl.setWorkerUrl(workerUrl);
      protocol = new Protocol();
      maplibregl.addProtocol("pmtiles", protocol.tile);
    }
    const map = new maplibregl.Map({
      container: container.current!,
      style: {
        version: 8,
        sources: {},
        layers: [{ id: "sea", type: "background", paint: { "background-color": "#1d2b36" } }],
      },
      center: [38.16, 48.89],
      zoom: 10.3,
      attributionControl: { compact: true, customAttribution: "Natural Earth · GeoNames (CC BY 4.0)" },
      locale: {
        "Map.Title": t("coord.map"),
        "NavigationControl.ZoomIn": t("coord.zoom_in"),
        "NavigationControl.ZoomOut": t("coord.zoom_out"),
      },
    });
    mapRef.current = map;
    map.addControl(new maplibregl.NavigationControl({ showCompass: false }), "top-right");
    map.on("load", async () => {
      const topo = await (await fetch(countriesUrl)).json();
      const countries = feature(topo, topo.objects.countries) as unknown as FC;
      map.addSource("countries", { type: "geojson", data: countries });
      map.addLayer({ id: "land", type: "fill", source: "countries", paint: { "fill-color": "#3b4a3f" } });
      // Inland water under the borders and towns: Natural Earth's major rivers and reservoirs
      // at 1:50m (water-ua.json: the Dnipro and its reservoirs, the Dniester, the Don ...), for
      // orientation at a regional zoom; smaller rivers come with a detail map.
      const water = (await (await fetch(waterUrl)).json()) as FC;
      map.addSource("water", { type: "geojson", data: water });
      map.addLayer({ id: "water-lakes", type: "fill", source: "water", filter: ["==", ["get", "water"], "lake"], paint: { "fill-color": "#2f5f86" } });
      map.addLayer({
        id: "water-rivers",
        type: "line",
        source: "water",
        filter: ["==", ["get", "water"], "river"],
        layout: { "line-join": "round", "line-cap": "round" },
        paint: { "line-color": "#4f8fc0", "line-width": ["interpolate", ["linear"], ["zoom"], 5, 1, 10, 2.5, 14, 4] },
      });
      map.addLayer({ id: "borders", type: "line", source: "countries", paint: { "line-color": "#d8d8a8", "line-width": 1.5 } });
      // Towns by name, the bigger first: a coordinator orients without a detail map.
      const towns = (await (await fetch(townsUrl)).json()) as { towns: [string, number, number, number][] };
      map.addSource("towns", {
        type: "geojson",
        data: {
          type: "FeatureCollection",
          features: towns.towns.map(([name, lon, lat, population]) => ({ type: "Feature", geometry: { type: "Point", coordinates: [lon, lat] }, properties: { name, population } })),
        },
      });
      map.addLayer({
        id: "towns-dot",
        type: "circle",
        source: "towns",
        filter: [">=", ["get", "population"], 20000],
        paint: { "circle-radius": ["interpolate", ["linear"], ["get", "population"], 1000, 2, 1000000, 5], "circle-color": "#fff3b0", "circle-stroke-color": "#101820", "circle-stroke-width": 1 },
      });
      map.addLayer({ id: "towns-dot-all", type: "circle", source: "towns", minzoom: 9, filter: ["<", ["get", "population"], 20000], paint: { "circle-radius": 2, "circle-color": "#fff3b0" } });
      map.addSource("grid", { type: "geojson", data: EMPTY });
      map.addLayer({ id: "grid", type: "line", source: "grid", paint: { "line-color": "#e9ecef", "line-opacity": 0.35, "line-width": 0.8 } });
      for (const id of ["threats", "requests", "points", "facilities", "vehicles"]) map.addSource(id, { type: "geojson", data: EMPTY });
      map.addSource("casualties", { type: "geojson", data: EMPTY, cluster: true, clusterRadius: 36, clusterMaxZoom: 14, clusterProperties: CLUSTER_COUNTS });
      map.addLayer({ id: "threats-fill", type: "fill", source: "threats", paint: { "fill-color": "#e63946", "fill-opacity": ["case", ["==", ["get", "active"], 1], 0.3, 0.12] } });
      map.addLayer({ id: "threats-line", type: "line", source: "threats", paint: { "line-color": "#e63946", "line-width": 2, "line-dasharray": [2, 1] } });
      map.addSource("draft", { type: "geojson", data: EMPTY });
      map.addLayer({ id: "draft-line", type: "line", source: "draft", filter: ["==", ["geometry-type"], "LineString"], paint: { "line-color": "#ffb703", "line-width": 2.5, "line-dasharray": [3, 2] } });
      map.addLayer({ id: "draft-corners", type: "circle", source: "draft", filter: ["==", ["geometry-type"], "Point"], paint: { "circle-radius": 5, "circle-color": "#ffb703", "circle-stroke-color": "#101820", "circle-stroke-width": 1.5 } });
      map.addSource("plan", { type: "geojson", data: EMPTY });
      map.addLayer({
        id: "plan-routes",
        type: "line",
        source: "plan",
        layout: { "line-join": "round", "line-cap": "round" },
        paint: { "line-color": "#ffd166", "line-opacity": ["case", ["==", ["get", "selected"], 1], 1, 0.75], "line-width": ["case", ["==", ["get", "selected"], 1], 6, 3] },
      });
      map.addLayer({ id: "requests", type: "circle", source: "requests", paint: { "circle-radius": 16, "circle-color": "rgba(0,0,0,0)", "circle-stroke-color": ["get", "colour"], "circle-stroke-width": 4 } });
      // Labels first: MapLibre places the upper layers first, so symbols keep their place and
      // a label that would cover a symbol or another label is left out until there is room.
      const townLabels = (id: string, min: number, minzoom: number) =>
        map.addLayer({
          id,
          type: "symbol",
          source: "towns",
          minzoom,
          filter: [">=", ["get", "population"], min],
          layout: { "icon-image": ["concat", "town:", ["get", "name"]], "icon-anchor": "left", "icon-offset": [5, 0], "symbol-sort-key": ["-", 0, ["get", "population"]] },
        });
      townLabels("towns-label-big", 100000, 0);
      townLabels("towns-label-mid", 10000, 7.5);
      townLabels("towns-label-all", 0, 9.5);
      for (const id of ["points", "facilities", "vehicles"]) {
        map.addLayer({
          id: `${id}-label`,
          type: "symbol",
          source: id,
          filter: ["!=", ["get", "label"], ""],
          layout: { "icon-image": ["concat", "label:", ["get", "label"]], "icon-anchor": "left", "icon-offset": [20, 0], "icon-padding": 1 },
        });
      }
      const counts = TRIAGE_ORDER.flatMap((c, i) => (i ? ["-", ["to-string", ["get", `n_${c}`]]] : [["to-string", ["get", `n_${c}`]]]));
      map.addLayer({
        id: "casualty-clusters",
        type: "symbol",
        source: "casualties",
        filter: ["has", "point_count"],
        // Badges are always drawn, and enter the collision index: a name (placed after, being
        // lower) never hides under a badge; it waits for room instead. A few dozen badges at most.
        // A badge stands just above its cluster's point, under the points, facilities and
        // vehicles: it never covers their symbols nor they its counts (a vehicle waiting at a
        // pickup sits where its casualties cluster).
        layout: { "icon-image": ["concat", "cluster:", ...counts] as unknown as maplibregl.ExpressionSpecification, "icon-allow-overlap": true, "icon-ignore-placement": false, "icon-anchor": "bottom", "icon-offset": [0, -14] },
      });
      const symbols = (id: string) =>
        map.addLayer({ id, type: "symbol", source: id, layout: { "icon-image": ["get", "icon"], "icon-allow-overlap": true } });
      symbols("points");
      symbols("facilities");
      symbols("vehicles");
      map.addLayer({
        id: "casualties-tq",
        type: "circle",
        source: "casualties",
        filter: ["all", ["!", ["has", "point_count"]], [">", ["get", "tq"], 0]],
        paint: { "circle-radius": 13, "circle-color": "rgba(0,0,0,0)", "circle-stroke-width": 3, "circle-stroke-color": ["case", [">=", ["get", "tq"], 2], "#ff0000", [">=", ["get", "tq"], 1], "#ffb703", "#ffffff"] },
      });
      map.addLayer({
        id: "casualties",
        type: "symbol",
        source: "casualties",
        filter: ["!", ["has", "point_count"]],
        // Thousands of casualties stay out of the collision index (a frame's placement would
        // grow with them); labels avoid the vehicles, facilities and points instead.
        layout: { "icon-image": ["get", "icon"], "icon-allow-overlap": true, "icon-ignore-placement": true },
      });
      map.on("click", "casualty-clusters", (e: MapMouseEvent & { features?: { properties?: Record<string, unknown>; geometry?: GeoJSON.Geometry }[] }) => {
        const f = e.features?.[0];
        if (!f) return;
        void (map.getSource("casualties") as GeoJSONSource).getClusterExpansionZoom(Number(f.properties?.cluster_id)).then((zoom) => map.easeTo({ center: e.lngLat, zoom }));
      });
      const refreshGrid = () => {
        const b = map.getBounds();
        (map.getSource("grid") as GeoJSONSource).setData(gridLines({ west: b.getWest(), south: b.getSouth(), east: b.getEast(), north: b.getNorth() }, map.getZoom()));
      };
      map.on("moveend", refreshGrid);
      refreshGrid();
      for (const layer of ["casualties", "requests", "vehicles", "facilities", "threats-fill"]) {
        map.on("click", layer, (e: MapMouseEvent & { features?: { properties?: Record<string, unknown> }[] }) => {
          const f = e.features?.[0];
          if (f) pickRef.current(layer.replace("-fill", ""), String(f.properties?.id));
        });
        map.on("mouseenter", layer, () => (map.getCanvas().style.cursor = "pointer"));
        map.on("mouseleave", layer, () => (map.getCanvas().style.cursor = ""));
      }
      setReady(true);
    });
    drawMissingImages(map, symbolFor);
    map.on("click", (e: MapMouseEvent) => clickRef.current?.(e.lngLat.lat, e.lngLat.lng));
    map.on("mousemove", (e: MapMouseEvent) => {
      try {
        setCursor(toMgrs({ lat: e.lngLat.lat, lon: e.lngLat.lng }, 4));
      } catch {
        setCursor("");
      }
    });
    (window as unknown as { __ghMap?: MlMap }).__ghMap = map;
    return () => map.remove();
  }, []);

  useEffect(() => {
    const map = mapRef.current;
    if (!map || !ready) return;
    const layers = layersOf(picture, now);
    for (const [id, data] of Object.entries(layers)) {
      // A source whose features did not change keeps its tiles: setData makes the worker cut
      // (and for casualties, cluster) every feature again, and every tile reload, so a vehicle's
      // report or the 30-second tick would otherwise redo 2,000 casualties.
      const text = JSON.stringify(data);
      if (sent.current.get(id) === text) continue;
      sent.current.set(id, text);
      (map.getSource(id) as GeoJSONSource | undefined)?.setData(data);
    }
  }, [ready, picture.version, Math.floor(now / 30_000)]);

  useEffect(() => {
    const map = mapRef.current;
    if (!map || !ready) return;
    (map.getSource("plan") as GeoJSONSource | undefined)?.setData(routes ?? EMPTY);
  }, [ready, routes]);

  useEffect(() => {
    const map = mapRef.current;
    if (!map || !ready) return;
    (map.getSource("draft") as GeoJSONSource | undefined)?.setData(draftFeatures(draft));
  }, [ready, draft]);

  const loadFile = async (e: Event) => {
    const file = (e.target as HTMLInputElement).files?.[0];
    const map = mapRef.current;
    if (!file || !map) return;
    const archive = new PMTiles(new FileSource(file));
    const header = await archive.getHeader();
    protocol!.add(archive);
    const url = `pmtiles://${file.name}`;
    if (map.getSource("detail")) {
      for (const l of map.getStyle().layers.filter((l) => "source" in l && l.source === "detail")) map.removeLayer(l.id);
      map.removeSource("detail");
    }
    // Tile type 1 is vector (MVT); 2-5 and 6 are raster images (PNG, JPEG, WebP, AVIF).
    if (header.tileType === 1) {
      map.addSource("detail", { type: "vector", url });
      const metadata = (await archive.getMetadata()) as { vector_layers?: { id: string }[] };
      for (const layer of metadata.vector_layers ?? []) {
        map.addLayer({ id: `detail-${layer.id}-line`, type: "line", source: "detail", "source-layer": layer.id, paint: { "line-color": "#c9c9a3", "line-width": 0.6 } }, "grid");
      }
    } else {
      map.addSource("detail", { type: "raster", url, tileSize: 256 });
      map.addLayer({ id: "detail-raster", type: "raster", source: "detail" }, "grid");
    }
    map.fitBounds([header.minLon, header.minLat, header.maxLon, header.maxLat], { maxZoom: 13 });
  };

  return (
    <div class="map-wrap">
      <div ref={container} class="map" data-testid="map" role="region" aria-label={t("coord.map")} />
      <div class="map-tools">
        <span class="cursor-mgrs" translate={false} aria-live="off">
          {cursor}
        </span>
        <label class="file">
          {t("coord.load_pmtiles")}
          <input type="file" accept=".pmtiles" onChange={(e) => void loadFile(e)} />
        </label>
      </div>
    </div>
  );
}
