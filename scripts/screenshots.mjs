// Screenshots of the built site for docs/screenshots/: the home page and the
// 503/504 page at phone and desktop width, light and dark. Run through
// scripts/screenshots.sh, which builds the site and installs playwright-core.
import { chromium } from "playwright-core";
import { pathToFileURL } from "node:url";
import path from "node:path";

const [site, out] = process.argv.slice(2);
const pages = { home: "index.html", "503": "errors/503/index.html" };
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync"],
});
for (const [name, file] of Object.entries(pages)) {
  for (const width of [390, 1280]) {
    for (const colorScheme of ["light", "dark"]) {
      const context = await browser.newContext({ viewport: { width, height: 900 }, colorScheme, deviceScaleFactor: 1 });
      const page = await context.newPage();
      await page.goto(pathToFileURL(path.join(site, file)).href);
      const target = path.join(out, `${name}-${width}-${colorScheme}.png`);
      await page.screenshot({ path: target, fullPage: true });
      console.log(target);
      await context.close();
    }
  }
}
await browser.close();
