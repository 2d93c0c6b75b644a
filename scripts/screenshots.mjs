// Screenshots of built sites for docs/screenshots/, at phone and desktop
// width, light and dark. Run through scripts/screenshots.sh, which builds the
// sites and installs playwright-core.
//
//   node screenshots.mjs OUT NAME=FILE[@] ...
//
// FILE is a page of a built site; with `@` only the first screen is taken
// (pages of large catalogs run to tens of thousands of pixels).
import { chromium } from "playwright-core";
import { pathToFileURL } from "node:url";
import path from "node:path";

const [out, ...pages] = process.argv.slice(2);
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync"],
});
for (const spec of pages) {
  const [name, rest] = spec.split("=");
  const firstScreen = rest.endsWith("@");
  const file = firstScreen ? rest.slice(0, -1) : rest;
  for (const width of [390, 1280]) {
    for (const colorScheme of ["light", "dark"]) {
      const context = await browser.newContext({ viewport: { width, height: 900 }, colorScheme, deviceScaleFactor: 1 });
      const page = await context.newPage();
      await page.goto(pathToFileURL(path.resolve(file)).href);
      const target = path.join(out, `${name}-${width}-${colorScheme}.png`);
      await page.screenshot({ path: target, fullPage: !firstScreen });
      console.log(target);
      await context.close();
    }
  }
}
await browser.close();
