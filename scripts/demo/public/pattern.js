// Synthetic publisher source: a 640x360 canvas test pattern (clock, frame counter, moving noise)
// and an optional 1 Hz beep. The noise makes the encoder spend real bits like camera content would.

const WIDTH = 640;
const HEIGHT = 360;
const FPS = 30;
const NOISE_W = 192;
const NOISE_H = 108;
// Gray noise of moderate amplitude behaves like sensor noise: it soaks up every bit the encoder is
// given, yet at low rates it quantizes away gracefully (full-range colour noise made the encoder
// drop to ~5 fps and downscale).
const NOISE_AMPLITUDE = 64;
const BARS = ['#c0c0c0', '#c0c000', '#00c0c0', '#00c000', '#c000c0', '#c00000', '#0000c0'];

// Worker timers are not throttled in background tabs, unlike requestAnimationFrame/setInterval,
// so the publisher keeps producing frames while the user looks at a viewer tab.
const TICKER = `setInterval(() => postMessage(0), ${1000 / FPS});`;

export function createPattern({ audio = false, label = '' } = {}) {
  const canvas = document.createElement('canvas');
  canvas.width = WIDTH;
  canvas.height = HEIGHT;
  const ctx = canvas.getContext('2d', { alpha: false });
  const noise = ctx.createImageData(NOISE_W, NOISE_H);
  const noiseWords = new Uint32Array(noise.data.buffer);
  const stream = canvas.captureStream(FPS);
  const beep = audio ? createBeep() : null;
  if (beep) stream.addTrack(beep.track);

  const started = performance.now();
  let frame = 0;
  let lastSecond = -1;

  function draw() {
    const now = new Date();
    const elapsed = (performance.now() - started) / 1000;
    const second = Math.floor(elapsed);
    const flash = elapsed - second < 0.1;
    if (second !== lastSecond) {
      lastSecond = second;
      beep?.trigger();
    }

    ctx.fillStyle = '#101418';
    ctx.fillRect(0, 0, WIDTH, HEIGHT);
    const barW = WIDTH / BARS.length;
    BARS.forEach((color, i) => {
      ctx.fillStyle = color;
      ctx.fillRect(i * barW, 0, barW + 1, 90);
    });

    // Sweeping line: easy to judge smoothness by eye.
    const sweepX = ((elapsed * 160) % (WIDTH + 40)) - 20;
    ctx.fillStyle = '#ffffff';
    ctx.fillRect(sweepX, 90, 6, HEIGHT - 90);

    // Noise block bouncing around the lower area.
    const nx = bounce(elapsed * 110, WIDTH - NOISE_W);
    const ny = 100 + bounce(elapsed * 70, HEIGHT - 100 - NOISE_H);
    for (let i = 0; i < noiseWords.length; i++) {
      const g = 128 + Math.floor((Math.random() - 0.5) * NOISE_AMPLITUDE);
      noiseWords[i] = 0xff000000 | (g << 16) | (g << 8) | g;
    }
    ctx.putImageData(noise, nx, ny);

    ctx.fillStyle = flash ? '#ffffff' : '#2a3036';
    ctx.fillRect(WIDTH - 60, HEIGHT - 60, 44, 44);

    ctx.fillStyle = '#ffffff';
    ctx.font = 'bold 44px ui-monospace, monospace';
    ctx.textBaseline = 'top';
    ctx.fillText(now.toISOString().slice(11, 23), 24, 110);
    ctx.font = '22px ui-monospace, monospace';
    ctx.fillText(`frame ${frame}`, 24, 166);
    if (label) ctx.fillText(label, 24, 196);
    frame++;
  }

  draw();
  const ticker = new Worker(URL.createObjectURL(new Blob([TICKER], { type: 'text/javascript' })));
  ticker.onmessage = draw;

  return {
    stream,
    stop() {
      ticker.terminate();
      for (const track of stream.getTracks()) track.stop();
      beep?.close();
    },
  };
}

function bounce(distance, span) {
  const p = distance % (2 * span);
  return Math.round(p < span ? p : 2 * span - p);
}

function createBeep() {
  const ac = new AudioContext();
  const osc = ac.createOscillator();
  const gain = ac.createGain();
  const dest = ac.createMediaStreamDestination();
  osc.frequency.value = 880;
  gain.gain.value = 0;
  osc.connect(gain).connect(dest);
  osc.start();
  // Autoplay policy: without a user gesture (autostart) the context stays suspended and silent,
  // so resume it on the first interaction with the page.
  if (ac.state !== 'running') {
    ac.resume().catch(() => {});
    addEventListener('pointerdown', () => ac.resume().catch(() => {}), { once: true });
  }
  return {
    track: dest.stream.getAudioTracks()[0],
    trigger() {
      const t = ac.currentTime;
      gain.gain.setValueAtTime(0.3, t);
      gain.gain.setValueAtTime(0, t + 0.1);
    },
    close() {
      ac.close().catch(() => {});
    },
  };
}
