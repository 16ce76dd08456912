// Opens an HTML trace written by `interlock check --trace html` in headless Chromium and checks
// it against the same trace in ITF: one lifeline per machine, one list entry per step of the
// text timeline, the keyboard moves the selection, and the state panel shows the values of the
// selected step's state. Saves a screenshot.
//   node viewer_test.js PAGE.html TRACE.itf.json MACHINES TIMELINE_STEPS SCREENSHOT.png
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

// The ITF value of a variable as the page writes it.
function shown(value) {
  if (value !== null && typeof value === 'object' && '#bigint' in value) return value['#bigint'];
  return String(value);
}

(async () => {
  const [page_file, itf_file, machines, timeline_steps, screenshot] = process.argv.slice(2);
  const itf = JSON.parse(fs.readFileSync(itf_file, 'utf8'));
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
           '--disable-component-update', '--disable-sync'],  // Playwright gives it a fresh, empty profile
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    const requests = [];
    page.on('request', (r) => { if (!r.url().startsWith('file:')) requests.push(r.url()); });
    await page.goto('file://' + path.resolve(page_file));
    expectEqual(await page.$$eval('#lifelines .lifeline', (n) => n.length), Number(machines), 'lifelines');
    const steps = await page.$$eval('#steps li', (n) => n.length);
    expectEqual(steps, Number(timeline_steps), 'steps listed');
    expectEqual(await page.$$eval('#lifelines .column', (n) => n.length), steps, 'columns drawn');
    // A violation opens at its last step, highlighted.
    expectEqual(await page.$eval('#steps li.selected', (li) => Number(li.dataset.index)), steps - 1, 'first selection');
    expectEqual(await page.$eval('#steps li.selected', (li) => li.classList.contains('violation')), true, 'violation highlighted');
    await page.keyboard.press('Home');
    expectEqual(await page.$eval('#steps li.selected', (li) => Number(li.dataset.index)), 0, 'Home');
    for (let k = 0; k < 3; ++k) await page.keyboard.press('ArrowRight');
    expectEqual(await page.$eval('#steps li.selected', (li) => Number(li.dataset.index)), 3, 'three steps forward');
    await page.keyboard.press('ArrowLeft');
    const index = await page.$eval('#steps li.selected', (li) => Number(li.dataset.index));
    expectEqual(index, 2, 'one step back');
    // The state panel shows the ITF state of that step, variable by variable.
    const state = await page.$eval('#steps li.selected', (li) => Number(li.dataset.state));
    const panel = await page.$$eval('#state tr', (rows) => rows.map((r) => [r.dataset.var, r.querySelector('.value').textContent]));
    const want = itf.states[state];
    let mismatches = 0;
    for (const [name, value] of panel) {
      if (!(name in want)) { fail('the panel shows ' + name + ', which the ITF trace does not have'); continue; }
      // A clock at its saturation value N stands for "N or more": the page writes ">=N".
      if (shown(want[name]) !== value && '>=' + shown(want[name]) !== value) { ++mismatches; fail(name + ' shows ' + value + ', the trace has ' + shown(want[name])); }
    }
    expectEqual(panel.length, itf.vars.length, 'variables in the state panel');
    expectEqual(mismatches, 0, 'values that differ from the trace at state ' + state);
    // The mouse selects too.
    await page.click('#steps li[data-index="1"]');
    expectEqual(await page.$eval('#steps li.selected', (li) => Number(li.dataset.index)), 1, 'click');
    await page.keyboard.press('End');
    expectEqual(requests.length, 0, 'requests outside the file');
    await page.screenshot({ path: screenshot });
    console.log('screenshot: ' + screenshot);
  } finally {
    await browser.close();
  }
})().catch((e) => { fail(String(e)); });
