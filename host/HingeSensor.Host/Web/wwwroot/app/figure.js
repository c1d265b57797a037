// The wearer seen from their left side: sacrum → upper back → head, drawn from the sagittal
// inclinations the device streams, with the dowel laid along the back and the gap where the back
// leaves it. The geometry is the device's own (shared/HingeSensor.Algorithms/Posture): each stretch
// of spine between two sensors is an arc of constant curvature turning from one sensor's
// inclination to the next, lengths scale with height (BodyDimensions), and the bar rests on the two
// points that stick out furthest behind (DowelLine.GapCm).

// Along the back, as fractions of body height (Drillis & Contini, as BodyDimensions).
const SACRUM_TO_UPPER_BACK = 0.19;
const UPPER_BACK_TO_HEAD = 0.16;
// The sacrum sensor (S2) above the floor, standing.
const SACRUM_HEIGHT = 0.57;

const rad = (d) => d * Math.PI / 180;

// Up and forward of a segment inclined by deg (x forward, z up; + = the top moves forward).
const up = (deg) => [Math.sin(rad(deg)), Math.cos(rad(deg))];
const forward = (deg) => [Math.cos(rad(deg)), -Math.sin(rad(deg))];

// The point a fraction s along an arc of the given length turning from one inclination to the next.
function arcPoint(origin, fromDeg, toDeg, length, s) {
  const half = 0.5 * rad(toDeg - fromDeg) * s;
  const scale = Math.abs(half) < 1e-4 ? 1 : Math.sin(half) / half;
  const mean = rad(fromDeg) + half;
  return [origin[0] + length * s * scale * Math.sin(mean), origin[1] + length * s * scale * Math.cos(mean)];
}

// Sensor sites in cm (sacrum at the origin) and the dowel: the line it lies on, the free point and
// the foot of the perpendicular from it (the gap).
export function backGeometry(sacrumDeg, upperDeg, headDeg, heightCm) {
  const sacrum = [0, 0];
  const upper = arcPoint(sacrum, sacrumDeg, upperDeg, SACRUM_TO_UPPER_BACK * heightCm, 1);
  const head = arcPoint(upper, upperDeg, headDeg, UPPER_BACK_TO_HEAD * heightCm, 1);
  // Is the upper back behind the sacrum–head line (rounding, chin drop)? Then the bar pivots on
  // sacrum and upper back and the head is off it; otherwise it lies on sacrum and head.
  const sh = Math.hypot(head[0], head[1]);
  const behind = sh < 1e-3 ? 0 : (upper[1] * head[0] - upper[0] * head[1]) / sh;
  const rest = behind > 0 ? upper : head;
  const free = behind > 0 ? head : upper;
  const len = Math.hypot(rest[0], rest[1]) || 1;
  const dir = [rest[0] / len, rest[1] / len];
  const along = free[0] * dir[0] + free[1] * dir[1];
  const foot = [dir[0] * along, dir[1] * along];
  return { sacrum, upper, head, dowel: { dir, free, foot, gapCm: Math.hypot(free[0] - foot[0], free[1] - foot[1]) } };
}

const COLOURS = { body: '#26323f', fault: '#c62828', limb: '#b7c0c9', dowel: '#9c6b30', gap: '#e65100', sensor: '#1565c0', faint: '#dde3e8' };

// Draws one pose. f: { hinge, torso, head (flexion), faults, valid }, all degrees; heightCm: the
// wearer's. Reuses the canvas and allocates a handful of small arrays: nothing accumulates.
export function drawFigure(canvas, f, heightCm) {
  const ctx = canvas.getContext('2d');
  const w = canvas.width, h = canvas.height;
  const calibrated = (f.valid & 7) === 7;
  const sacrumDeg = calibrated ? f.hinge : 0;
  const upperDeg = calibrated ? f.torso : 0;
  const headDeg = calibrated ? f.torso + f.head : 0;
  const g = backGeometry(sacrumDeg, upperDeg, headDeg, heightCm);

  const k = h / (1.12 * heightCm); // px per cm
  const ox = 0.36 * w, oy = h - (SACRUM_HEIGHT + 0.03) * heightCm * k;
  const px = (p) => [ox + p[0] * k, oy - p[1] * k];

  ctx.setTransform(1, 0, 0, 1, 0, 0);
  ctx.clearRect(0, 0, w, h);
  ctx.lineCap = 'round';
  ctx.lineJoin = 'round';

  // Floor and the vertical through the sacrum (what the inclinations are measured from).
  const floorY = oy + SACRUM_HEIGHT * heightCm * k;
  line(ctx, [0, floorY], [w, floorY], COLOURS.faint, 2);
  ctx.setLineDash([4, 6]);
  line(ctx, [ox, oy + 10], [ox, oy - 0.45 * heightCm * k], COLOURS.faint, 1);
  ctx.setLineDash([]);

  // Legs and arm: context only, the device measures neither. In a hinge the hips travel back
  // over the heels, so the feet sit further forward of the sacrum the deeper it tilts.
  const tilt = Math.max(0, Math.sin(rad(sacrumDeg)));
  const hip = [g.sacrum[0] + forward(sacrumDeg)[0] * 0.05 * heightCm, g.sacrum[1] - 0.03 * heightCm];
  const ankle = [hip[0] + (0.02 + 0.12 * tilt) * heightCm, -SACRUM_HEIGHT * heightCm + 0.04 * heightCm];
  const knee = [(hip[0] + ankle[0]) / 2 + (0.02 + 0.04 * tilt) * heightCm, (hip[1] + ankle[1]) / 2];
  polyline(ctx, [px(hip), px(knee), px(ankle)], COLOURS.limb, 7);
  line(ctx, px([ankle[0] - 0.03 * heightCm, ankle[1] - 0.035 * heightCm]), px([ankle[0] + 0.11 * heightCm, ankle[1] - 0.035 * heightCm]), COLOURS.limb, 6);
  const fwdUpper = forward(upperDeg);
  const shoulder = [g.upper[0] + fwdUpper[0] * 0.07 * heightCm + up(upperDeg)[0] * 0.04 * heightCm,
    g.upper[1] + fwdUpper[1] * 0.07 * heightCm + up(upperDeg)[1] * 0.04 * heightCm];
  line(ctx, px(shoulder), px([shoulder[0], shoulder[1] - 0.32 * heightCm]), COLOURS.limb, 6);

  // The back: two arcs, red where the fault is.
  const backFault = calibrated && (f.faults & 2) !== 0;
  const headFault = calibrated && (f.faults & 12) !== 0;
  arc(ctx, px, g.sacrum, sacrumDeg, upperDeg, SACRUM_TO_UPPER_BACK * heightCm, backFault ? COLOURS.fault : COLOURS.body);
  arc(ctx, px, g.upper, upperDeg, headDeg, UPPER_BACK_TO_HEAD * heightCm, headFault ? COLOURS.fault : COLOURS.body);

  // The head: the sensor sits at the back of it; the face looks along the head's forward.
  const r = 0.058 * heightCm;
  const fh = forward(headDeg), uh = up(headDeg);
  const centre = [g.head[0] + fh[0] * r + uh[0] * 0.3 * r, g.head[1] + fh[1] * r + uh[1] * 0.3 * r];
  const c = px(centre);
  ctx.beginPath();
  ctx.arc(c[0], c[1], r * k, 0, 2 * Math.PI);
  ctx.strokeStyle = headFault ? COLOURS.fault : COLOURS.body;
  ctx.lineWidth = 5;
  ctx.stroke();
  line(ctx, px([centre[0] + fh[0] * r, centre[1] + fh[1] * r]), px([centre[0] + fh[0] * (r + 3), centre[1] + fh[1] * (r + 3)]),
    headFault ? COLOURS.fault : COLOURS.body, 5);

  // The dowel, just behind the two points it rests on, and the gap from it to the third.
  const d = g.dowel;
  const behindDir = [-d.dir[1], d.dir[0]];
  const off = 2; // cm: the bar's radius, so it lies on the back rather than through it
  const barFrom = [behindDir[0] * off - d.dir[0] * 8, behindDir[1] * off - d.dir[1] * 8];
  const reach = Math.max(Math.hypot(g.head[0], g.head[1]), Math.hypot(g.upper[0], g.upper[1])) + 12;
  const barTo = [behindDir[0] * off + d.dir[0] * reach, behindDir[1] * off + d.dir[1] * reach];
  line(ctx, px(barFrom), px(barTo), COLOURS.dowel, 6);
  if (calibrated && d.gapCm > 0.5) {
    ctx.setLineDash([5, 4]);
    line(ctx, px(d.free), px(d.foot), COLOURS.gap, 3);
    ctx.setLineDash([]);
  }

  // The three sensors.
  for (const p of [g.sacrum, g.upper, g.head]) {
    const q = px(p);
    ctx.fillStyle = COLOURS.sensor;
    ctx.fillRect(q[0] - 5, q[1] - 5, 10, 10);
  }

  // Labels clear of the bar and the figure.
  ctx.font = '15px system-ui, sans-serif';
  ctx.textAlign = 'center';
  ctx.textBaseline = 'middle';
  if (calibrated) {
    const front = [-behindDir[0], -behindDir[1]];
    ctx.fillStyle = '#455a64';
    label(ctx, px([g.upper[0] + front[0] * 14, g.upper[1] + front[1] * 14]), `torso ${Math.round(f.torso)}°`);
    if (d.gapCm > 0.5) {
      ctx.fillStyle = COLOURS.gap;
      // Behind the bar, level with the gap: the figure is on the other side.
      label(ctx, px([d.foot[0] + behindDir[0] * 10, d.foot[1] + behindDir[1] * 10]), `gap ${f.gap.toFixed(1)} cm`);
    }
  } else {
    ctx.fillStyle = '#455a64';
    label(ctx, [w / 2, 24], 'not calibrated: the angles appear after calibration');
  }
  return g;
}

function label(ctx, at, text) {
  ctx.fillText(text, at[0], at[1]);
}

function line(ctx, a, b, colour, width) {
  ctx.beginPath();
  ctx.moveTo(a[0], a[1]);
  ctx.lineTo(b[0], b[1]);
  ctx.strokeStyle = colour;
  ctx.lineWidth = width;
  ctx.stroke();
}

function polyline(ctx, points, colour, width) {
  ctx.beginPath();
  ctx.moveTo(points[0][0], points[0][1]);
  for (let i = 1; i < points.length; i++) ctx.lineTo(points[i][0], points[i][1]);
  ctx.strokeStyle = colour;
  ctx.lineWidth = width;
  ctx.stroke();
}

function arc(ctx, px, origin, fromDeg, toDeg, length, colour) {
  ctx.beginPath();
  for (let i = 0; i <= 8; i++) {
    const p = px(arcPoint(origin, fromDeg, toDeg, length, i / 8));
    if (i === 0) ctx.moveTo(p[0], p[1]); else ctx.lineTo(p[0], p[1]);
  }
  ctx.strokeStyle = colour;
  ctx.lineWidth = 9;
  ctx.stroke();
}
