// Shared by the browser tests: Chromium, the static server, and helpers that drive the real app
// (clicks with the real mouse on the rectangles the app publishes in state().ui.widgets).
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

import { chromium } from 'playwright-core';

import { serve } from '../../web/server.mjs';
import { requireWebBuild, screenshotDir, siteDir } from '../node/support.mjs';
import { decodePng } from './png.mjs';

export const CHROMIUM = process.env.DFPLAY_CHROMIUM || '/usr/bin/chromium';
export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-quic', '--no-first-run', '--disable-background-networking',
                              '--disable-component-update', '--disable-sync'];
export const CLEAR_COLOR = [18, 19, 23];  // glClearColor in src/app/main.cpp
export const TIMEOUT = 120_000;

/** Starts the server and the browser: {srv, browser, close()}. */
export async function startBrowser() {
  requireWebBuild();
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: run script/bootstrap`);
  mkdirSync(screenshotDir, { recursive: true });
  const srv = await serve({ root: siteDir, port: 0 });
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
  return {
    srv, browser,
    async close() {
      await browser.close();
      await srv.close();
    },
  };
}

/** A fresh page with the app loaded and ready (dark colour scheme unless asked): {page, context, errors}. */
export async function openApp(env, { width = 1280, height = 760, deviceScaleFactor = 1, colorScheme = 'dark' } = {}) {
  // The app follows prefers-color-scheme; the pixel checks are written for the dark theme.
  const context = await env.browser.newContext({ viewport: { width, height }, deviceScaleFactor, colorScheme });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(`console: ${m.text()}`); });
  page.on('requestfailed', (r) => errors.push(`request failed: ${r.url()}`));
  await page.goto(env.srv.url);
  await waitFor(page, () => !!(window.dfplay && window.dfplay.ready));
  await page.evaluate(() => window.dfplay.ready);
  return { page, context, errors };
}

/**
 * The app's state once the current content is analysed (window.dfplay.analysed()): an edit is
 * drawn first and analysed after, in slices between frames (src/app/redraw.js), so a state read
 * right after an action may still hold the previous content's results (`analysing: true`).
 */
export const state = (page) => page.evaluate(() => window.dfplay.analysed());
/** The state as it is now, analysed or not (`analysing` says which). */
export const stateNow = (page) => page.evaluate(() => window.dfplay.state());

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Polls `pageFunction(arg)` in the page until it returns something truthy; returns that value.
 * Use this instead of Playwright's page.waitForFunction: that one evaluates its predicate with
 * eval() inside the page, which the server's Content-Security-Policy forbids (no 'unsafe-eval').
 */
export async function waitFor(page, pageFunction, arg, { timeout = 30_000, interval = 25 } = {}) {
  const end = Date.now() + timeout;
  for (;;) {
    // A navigation (a reload) destroys the page's context mid-evaluation: that counts as not yet.
    let v, failure = null;
    try {
      v = await page.evaluate(pageFunction, arg);
    } catch (e) {
      failure = e;
    }
    if (v) return v;
    if (Date.now() > end) {
      throw new Error(`waitFor: timed out after ${timeout} ms: ${pageFunction}${failure ? ` (last error: ${failure.message})` : ''}`);
    }
    await sleep(interval);
  }
}

/**
 * Lets the app draw `n` more frames. The app draws only when something changes (src/app/redraw.js),
 * so this wakes it (window.dfplay.redraw) and waits for its own frame counter, not for animation frames.
 */
export function frames(page, n = 2) {
  // A page without the app (the tutorial, a host page: their frames draw on their own) waits a
  // couple of animation frames instead.
  return page.evaluate((count) => (window.dfplay && window.dfplay.redraw
    ? window.dfplay.redraw(count)
    : new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)))), n);
}

/**
 * Waits until the app's state satisfies `predicate(state, arg)`; returns that state. The predicate
 * runs here in Node on each polled snapshot (no eval in the page: see waitFor). Only analysed
 * snapshots count (`analysing` false: see state()) unless `analysing: true` is given.
 */
export async function waitForState(page, predicate, arg, { timeout = 30_000, analysing = false } = {}) {
  const end = Date.now() + timeout;
  for (;;) {
    const s = await page.evaluate(() => window.dfplay.state());
    if ((analysing || !s.analysing) && predicate(s, arg)) return s;
    if (Date.now() > end) throw new Error(`waitForState: timed out after ${timeout} ms: ${predicate}`);
    await sleep(25);
  }
}

/** The rectangle of a published widget, waiting for it to be drawn. */
export async function widget(page, name) {
  await waitForState(page, (s, n) => n in s.ui.widgets, name);
  return (await state(page)).ui.widgets[name];
}

/**
 * Clicks a point like a person does: move there, let the app draw a frame (ImGui sees the hover),
 * press, a frame, release.
 */
export async function clickAt(page, x, y) {
  await page.mouse.move(x, y);
  await frames(page);
  await page.mouse.down();
  await frames(page);
  await page.mouse.up();
  await frames(page);
}

/** Clicks the middle of a published widget ("button:build", "tab:Image", ...). */
export async function click(page, name) {
  const r = await widget(page, name);
  await clickAt(page, r.x + r.width / 2, r.y + r.height / 2);
}

/** Shows a side tab by clicking it. */
export async function showTab(page, title) {
  await click(page, `tab:${title}`);
  await waitForState(page, (s, t) => s.ui.sideTab === t, title);
  await frames(page);
}

/** A screenshot, saved under build/screenshots/ when named; returns the decoded image. */
export async function screenshot(page, name) {
  await frames(page);
  const png = await page.screenshot();
  if (name) writeFileSync(path.join(screenshotDir, name), png);
  return decodePng(png);
}

/** Pixels of `img` in `rect` (CSS px x scale) close to `rgb` (each channel within `tol`). */
export function countColor(img, rect, rgb, tol = 40, scale = 1) {
  let n = 0;
  const x0 = Math.max(0, Math.floor(rect.x * scale)), y0 = Math.max(0, Math.floor(rect.y * scale));
  const x1 = Math.min(img.width, Math.ceil((rect.x + rect.width) * scale));
  const y1 = Math.min(img.height, Math.ceil((rect.y + rect.height) * scale));
  for (let y = y0; y < y1; y++) {
    for (let x = x0; x < x1; x++) {
      const o = (y * img.width + x) * 4;
      if (Math.abs(img.data[o] - rgb[0]) <= tol && Math.abs(img.data[o + 1] - rgb[1]) <= tol &&
          Math.abs(img.data[o + 2] - rgb[2]) <= tol) n++;
    }
  }
  return n;
}
