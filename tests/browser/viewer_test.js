// Opens an HTML trace written by `interlock check --trace html` (the KB lasso) in headless
// Chromium and checks it against the same trace in ITF and in text: one lifeline per machine,
// one row per line of the text timeline, the header's step count the text output's, the page
// opening at the start with the header and the lifelines' names staying at the top as it
// scrolls, #step=N opening step N, the keys (arrows, j/k, Home/End) moving the selection, the
// time axis (a wait as tall as it is long, long ones folded with their length as the label),
// and the state panel showing the values of the selected step's state and what the step read
// and assigned. Saves a screenshot.
//   node viewer_test.js PAGE.html TRACE.itf.json MACHINES TIMELINE_LINES TRACE_STEPS SCREENSHOT.png
const { chromium } = require('playwright-core');
const fs = require('fs');
const path = require('path');

function fail(message) {
  console.error('FAIL: ' + message);
  process.exitCode = 1;
}
function expectEqual(actual, expected, what) {
  if (actual !== expected) fail(what + ': expected ' + JSON.stringify(expected) + ', got ' + JSON.stringify(actual));
  else console.log('ok: ' + what + ' = ' + JSON.stringify(actual));
}
function expectTrue(condition, what, detail) {
  if (!condition) fail(what + (detail === undefined ? '' : ': ' + JSON.stringify(detail)));
  else console.log('ok: ' + what);
}

// The ITF value of a variable as the page writes it.
function shown(value) {
  if (value !== null && typeof value === 'object' && '#bigint' in value) return value['#bigint'];
  return String(value);
}

(async () => {
  const [page_file, itf_file, machines, timeline_lines, trace_steps, screenshot] = process.argv.slice(2);
  const itf = JSON.parse(fs.readFileSync(itf_file, 'utf8'));
  const url = 'file://' + path.resolve(page_file);
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
           '--disable-component-update', '--disable-sync'],  // Playwright gives it a fresh, empty profile
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    const requests = [], errors = [];
    page.on('request', (r) => { if (!r.url().startsWith('file:')) requests.push(r.url()); });
    page.on('pageerror', (e) => errors.push(e.message));
    const selected = () => page.$eval('#steps li.selected', (li) => ({
      index: Number(li.dataset.index), first: Number(li.dataset.first), last: Number(li.dataset.last), state: Number(li.dataset.state) }));
    await page.goto(url);

    // What the page shows of the trace.
    expectEqual(await page.$$eval('#names .lifeline', (n) => n.length), Number(machines), 'lifelines');
    const rows = await page.$$eval('#steps li', (n) => n.length);
    expectEqual(rows, Number(timeline_lines), 'rows, one per line of the text timeline');
    const count = await page.$eval('#count', (e) => e.textContent);
    expectEqual(Number((/^(\d+) steps?/.exec(count) || [])[1]), Number(trace_steps), "the header's step count, the text output's");
    expectEqual(await page.$eval('#steps li:last-child', (li) => Number(li.dataset.last)), Number(trace_steps), 'the last row ends at the last step');
    expectEqual(await page.$eval('#steps li:last-child', (li) => li.classList.contains('violation')), true, 'violation highlighted');

    // It opens at the start.
    expectEqual(await page.evaluate(() => window.scrollY), 0, 'initial scroll');
    expectEqual((await selected()).index, 0, 'first selection: the start');

    // The header and the lifelines' names stay at the top while the steps scroll under them.
    await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight / 2));
    const scrolled = await page.evaluate(() => window.scrollY);
    expectTrue(scrolled > 1000, 'the page scrolls', scrolled);
    const top = await page.evaluate(() => {
      const header = document.querySelector('header').getBoundingClientRect();
      const names = [...document.querySelectorAll('#names .lifeline')].map((n) => {
        const r = n.getBoundingClientRect();
        const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
        return { top: r.top, bottom: r.bottom, visible: hit === n || n.contains(hit) };
      });
      const hitTitle = document.elementFromPoint(20, document.getElementById('title').getBoundingClientRect().top + 5);
      return { header: header.top, names, title: hitTitle && hitTitle.closest('header') !== null };
    });
    expectEqual(top.header, 0, 'header at the top after scrolling');
    expectTrue(top.title, 'the title is not covered');
    expectTrue(top.names.every((n) => n.visible && n.top >= 0 && n.bottom <= 900), "the lifelines' names visible after scrolling", top.names);
    await page.evaluate(() => window.scrollTo(0, 0));

    // #step=42 opens step 42, visible below the sticky top.
    await page.goto(url + '#step=42');
    const at42 = await selected();
    expectTrue(at42.first <= 42 && 42 <= at42.last, '#step=42 selects the row of step 42', at42);
    const visible42 = await page.evaluate(() => {
      const li = document.querySelector('#steps li.selected').getBoundingClientRect();
      return li.top >= document.getElementById('top').getBoundingClientRect().bottom && li.bottom <= window.innerHeight;
    });
    expectTrue(visible42, 'step 42 is scrolled into view');
    // ... and a change of the address moves the selection.
    await page.evaluate(() => { location.hash = '#step=130'; });
    await page.waitForFunction(() => { const s = document.querySelector('#steps li.selected'); return Number(s.dataset.first) <= 130 && 130 <= Number(s.dataset.last); });
    console.log('ok: #step=130 after a change of the address');

    // The keys move the selection and the address follows.
    await page.keyboard.press('Home');
    expectEqual((await selected()).index, 0, 'Home');
    for (let k = 0; k < 3; ++k) await page.keyboard.press('ArrowDown');
    expectEqual((await selected()).index, 3, 'three steps down');
    await page.keyboard.press('ArrowUp');
    expectEqual((await selected()).index, 2, 'one step up');
    await page.keyboard.press('j');
    await page.keyboard.press('j');
    expectEqual((await selected()).index, 4, 'j twice');
    await page.keyboard.press('k');
    const afterK = await selected();
    expectEqual(afterK.index, 3, 'k');
    expectEqual(await page.evaluate(() => location.hash), '#step=' + afterK.first, 'the address names the selected step');
    await page.keyboard.press('End');
    expectEqual((await selected()).index, rows - 1, 'End');
    expectTrue(await page.evaluate(() => window.scrollY) > 0, 'End scrolls down');
    await page.keyboard.press('Home');

    // The time axis: a wait is as tall as it is long, at one scale; a long one is folded to a row
    // labelled with its length; rows follow each other without gaps.
    const axis = await page.evaluate(() => {
      const px = Number(document.getElementById('steps').dataset.pxPerTick);
      const items = [...document.querySelectorAll('#steps li')].map((li) => {
        const r = li.getBoundingClientRect();
        const label = li.querySelector('.fold-label');
        return { kind: li.classList.contains('wait') ? 'wait' : 'other', folded: li.classList.contains('folded'),
                 ticks: Number(li.dataset.time) - Number(li.dataset.from), from: Number(li.dataset.from), top: r.top, bottom: r.bottom,
                 label: label ? label.textContent : null };
      });
      return { px, items };
    });
    expectTrue(axis.px > 0, 'a scale in pixels per tick', axis.px);
    const waits = axis.items.filter((i) => i.kind === 'wait');
    const folded = waits.filter((i) => i.folded), unfolded = waits.filter((i) => !i.folded);
    expectTrue(folded.length > 0 && unfolded.length > 0, 'some waits folded, some not', [folded.length, unfolded.length]);
    expectTrue(folded.every((i) => /^\u2026 \S.* \u2026$/.test(i.label || '')), 'each folded wait labelled with its length ("\u2026 55 minutes \u2026")',
               folded.map((i) => i.label));
    expectTrue(unfolded.every((i) => !i.label), 'no label on a wait drawn to scale');
    const off = unfolded.filter((i) => Math.abs((i.bottom - i.top) - i.ticks * axis.px) > 0.5);
    expectTrue(off.length === 0, 'each unfolded wait as tall as its length (' + unfolded.length + ' waits)', off);
    expectTrue(Math.min(...folded.map((i) => i.ticks)) * axis.px > Math.max(...unfolded.map((i) => i.ticks)) * axis.px,
               'the folded waits are the long ones');
    let gaps = 0;
    for (let k = 1; k < axis.items.length; ++k) if (Math.abs(axis.items[k].top - axis.items[k - 1].bottom) > 0.5) ++gaps;
    expectEqual(gaps, 0, 'gaps between rows');
    // Within a stretch without folds, a row's position less the rows of the actions above it is
    // proportional to its time.
    let checked = 0;
    const wrong = [];
    for (let k = 0; k < axis.items.length;) {
      if (axis.items[k].folded) { ++k; continue; }
      const start = axis.items[k];
      let actions = 0;
      for (; k < axis.items.length && !axis.items[k].folded; ++k) {
        const i = axis.items[k];
        const expected = start.top + actions + (i.from - start.from) * axis.px;
        if (Math.abs(i.top - expected) > 1) wrong.push({ from: i.from, top: i.top, expected });
        if (i.kind !== 'wait') actions += i.bottom - i.top;
        ++checked;
      }
    }
    expectTrue(checked > 0 && wrong.length === 0, 'time proportional to position in the unfolded stretches (' + checked + ' rows)', wrong);

    // The state panel shows the ITF state of the selected step, variable by variable, and what
    // the step read and assigned as the ITF step says.
    await page.keyboard.press('Home');
    for (let k = 0; k < 4; ++k) await page.keyboard.press('ArrowDown');
    const sel = await selected();
    const panel = await page.$$eval('#state tr', (rows) => rows.map((r) => [r.dataset.var, r.querySelector('.value').textContent]));
    const want = itf.states[sel.state];
    let mismatches = 0;
    for (const [name, value] of panel) {
      if (!(name in want)) { fail('the panel shows ' + name + ', which the ITF trace does not have'); continue; }
      // A clock at its saturation value N stands for "N or more": the page writes ">=N".
      if (shown(want[name]) !== value && '>=' + shown(want[name]) !== value) { ++mismatches; fail(name + ' shows ' + value + ', the trace has ' + shown(want[name])); }
    }
    expectEqual(panel.length, itf.vars.length, 'variables in the state panel');
    expectEqual(mismatches, 0, 'values that differ from the trace at state ' + sel.state);
    let action = null;
    for (let k = 0; k < rows && !action; ++k) {
      const s = await selected();
      const step = itf.states[s.state]['#meta'].step;
      if (s.first === s.last && step && step.kind === 'action' && step.reads.length > 0 && step.assignments.length > 0) action = { s, step };
      else await page.keyboard.press('ArrowDown');
    }
    expectTrue(action !== null, 'an action that reads and assigns');
    if (action) {
      const listed = await page.$$eval('#effects li', (n) => n.map((li) => li.textContent));
      const wantEffects = action.step.reads.map((r) => 'read ' + r.var + ' = ' + shown(r.value))
        .concat(action.step.assignments.map((a) => a.var + ' := ' + shown(a.value) + (a.unchanged ? ' (unchanged)' : '')));
      for (const e of wantEffects) expectTrue(listed.includes(e), 'the panel lists "' + e + '" for step ' + action.s.first, listed);
    }

    // The mouse selects too.
    await page.click('#steps li[data-index="1"]');
    expectEqual((await selected()).index, 1, 'click');
    expectEqual(requests.length, 0, 'requests outside the file');
    expectEqual(errors.length, 0, 'script errors');
    await page.goto(url);
    await page.screenshot({ path: screenshot });
    console.log('screenshot: ' + screenshot);
  } finally {
    await browser.close();
  }
})().catch((e) => { fail(String(e)); });
