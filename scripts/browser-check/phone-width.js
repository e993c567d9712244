// Visits every page a signed-in person can reach from the home page (following links, up to a
// limit), at a phone's width (390 px), and lists each page wider than the screen.
// Usage: node phone-width.js BASE_URL EMAIL PASSWORD [max pages, default 200]
// Needs Chromium at /usr/bin/chromium (Debian package chromium).
const { chromium } = require("playwright-core");

const [base, email, password, max = "200"] = process.argv.slice(2);
// Links that change things, download files or leave the pages.
const skip = /^\/(logout|static|api|metrics|healthz|readyz|unsubscribe)|\.csv|\.json|export|\/login/;

(async () => {
  const browser = await chromium.launch({
    executablePath: "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
  const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
  await page.goto(`${base}/login`);
  await page.fill("input[name=email]", email);
  await page.fill("input[name=password]", password);
  await Promise.all([page.waitForNavigation(), page.click("form[action='/login'] button[type=submit]")]);
  const seen = new Set();
  const queue = ["/"];
  const wide = [];
  // One page per kind of address (/requests/12 and /requests/13 look alike), so the limit covers more kinds.
  const kind = (p) => p.replace(/\/\d+/g, "/N").replace(/\?.*$/, "?");
  const kinds = new Map();
  while (queue.length && seen.size < Number(max)) {
    const path = queue.shift();
    if (seen.has(path)) continue;
    const k = kind(path);
    if ((kinds.get(k) || 0) >= 2) continue;
    kinds.set(k, (kinds.get(k) || 0) + 1);
    seen.add(path);
    const response = await page.goto(base + path);
    if (!response || !(response.headers()["content-type"] || "").includes("text/html")) continue;
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    if (width > 390) wide.push(`${path} ${width}px`);
    const links = await page.evaluate(() => Array.from(document.querySelectorAll("a[href]"), (a) => a.getAttribute("href")));
    for (const href of links) {
      if (href && href.startsWith("/") && !href.startsWith("//") && !skip.test(href) && !seen.has(href)) queue.push(href.split("#")[0]);
    }
  }
  console.log(`${email}: ${seen.size} pages checked at 390 px, ${wide.length} wider than the screen`);
  for (const w of wide) console.log(`  ${w}`);
  await browser.close();
  process.exit(wide.length ? 1 : 0);
})();
