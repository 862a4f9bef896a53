import { benchImport } from "/work/wt-import-group/scripts/benchImport";
import { table } from "/work/wt-import-group/scripts/benchMeasures";
(async () => {
  const sizes = (process.env.SIZES ?? "1000").split(",").map(Number);
  const rows = [];
  for (const n of sizes) rows.push(await benchImport(n, (process.env.MODE as "create" | "log") ?? "create"));
  console.log(table(rows));
})();
