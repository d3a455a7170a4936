// Injected into a copy of a Kinema report by check-report.sh and run by a headless Chromium: once
// the page has loaded, lists every image (size; a GIF's frames, counted by walking its blocks, so a
// truncated animation is caught) and video, and every load or script error as a PROBLEM line, in a
// pre element of id kinema-browser-check, ending with DONE. The check is synchronous: headless Chromium
// dumps the page when its virtual time runs out, without waiting for promises.
(function () {
  const problems = [];
  window.addEventListener('error', e => {
    problems.push('error: ' + (e.message || ('failed to load ' + (e.target && (e.target.currentSrc || e.target.src || e.target.href)))));
  }, true);
  const originalError = console.error;
  console.error = (...args) => { problems.push('console.error: ' + args.join(' ')); originalError.apply(console, args); };
  // The file's bytes, read synchronously (the check must finish before the page counts as loaded).
  function bytes(url) {
    const request = new XMLHttpRequest();
    request.open('GET', url, false);
    request.overrideMimeType('text/plain; charset=x-user-defined');
    request.send();
    const text = request.responseText, out = new Uint8Array(text.length);
    for (let i = 0; i < text.length; i++) out[i] = text.charCodeAt(i) & 0xff;
    return out;
  }
  // A GIF's frames, walking its blocks (GIF89a spec): throws on a truncated or malformed file.
  function gifFrames(b) {
    const ascii = String.fromCharCode(...b.slice(0, 6));
    if (ascii !== 'GIF89a' && ascii !== 'GIF87a') throw new Error('not a GIF');
    let p = 13;
    if (b[10] & 0x80) p += 3 << ((b[10] & 7) + 1);
    const subBlocks = () => { while (true) { if (p >= b.length) throw new Error('truncated'); const n = b[p++]; if (n === 0) return; p += n; } };
    let frames = 0;
    while (true) {
      if (p >= b.length) throw new Error('no trailer');
      const kind = b[p++];
      if (kind === 0x3b) return frames;
      if (kind === 0x21) { p++; subBlocks(); continue; }
      if (kind !== 0x2c) throw new Error('bad block 0x' + kind.toString(16) + ' at byte ' + (p - 1));
      const flags = b[p + 8]; p += 9;
      if (flags & 0x80) p += 3 << ((flags & 7) + 1);
      p++;  // LZW minimum code size
      subBlocks();
      frames++;
    }
  }
  window.addEventListener('load', () => {
    const lines = [];
    for (const img of Array.from(document.images)) {
      const src = img.getAttribute('src');
      if (!img.complete || img.naturalWidth === 0) { problems.push('image ' + src + ' did not load'); continue; }
      let frames = 1;
      try { if (/\.gif$/i.test(src)) frames = gifFrames(bytes(src)); } catch (e) { problems.push('image ' + src + ': ' + e.message); continue; }
      lines.push('image ' + src + ' ' + img.naturalWidth + 'x' + img.naturalHeight + ' frames ' + frames);
    }
    for (const video of Array.from(document.querySelectorAll('video'))) {
      if (video.readyState < 2) problems.push('video ' + video.getAttribute('src') + ' not playable (readyState ' + video.readyState + ')');
      else lines.push('video ' + video.getAttribute('src') + ' ' + video.videoWidth + 'x' + video.videoHeight);
    }
    const out = document.createElement('pre');
    out.id = 'kinema-browser-check';
    out.textContent = lines.concat(problems.map(p => 'PROBLEM ' + p)).join('\n') + '\nDONE';
    document.body.appendChild(out);
  });
})();
